/**
 * How long an app waits for a gate or an abort before giving up, so no request hangs forever.
 * Both normally happen within milliseconds; only a failing scenario ever waits this long.
 */
const GIVE_UP_MS = 1500

/**
 * A latch a streaming route waits on after its first chunk, opened by `POST /gate/open`.
 * The client opens it only after it has received that first chunk, which proves the first
 * chunk was not held back until the response ended (no timing involved).
 */
export class Gate {
  #opened = false
  #release: (() => void) | undefined

  /** Resolves when the gate is opened (or was already), or after a few seconds anyway. */
  wait(): Promise<void> {
    if (this.#opened) {
      this.#opened = false
      return Promise.resolve()
    }
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, GIVE_UP_MS)
      this.#release = () => {
        clearTimeout(timer)
        resolve()
      }
    })
  }

  open(): void {
    const release = this.#release
    this.#release = undefined
    if (release) release()
    else this.#opened = true
  }
}

/** Records that a client went away mid-response, for `GET /abort/last` to report. */
export class AbortLog {
  #aborted = false
  #notify: (() => void) | undefined

  record(): void {
    this.#aborted = true
    this.#notify?.()
  }

  /** Whether an abort was recorded (waiting a moment for it to arrive); resets the log. */
  async last(): Promise<boolean> {
    if (!this.#aborted) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, GIVE_UP_MS)
        this.#notify = () => {
          clearTimeout(timer)
          resolve()
        }
      })
    }
    this.#notify = undefined
    const aborted = this.#aborted
    this.#aborted = false
    return aborted
  }
}

/** Per app instance state shared between requests. */
export interface AppState {
  gate: Gate
  aborts: AbortLog
}

/** Fresh state: every (framework, way) session builds its own app. */
export function createAppState(): AppState {
  return { gate: new Gate(), aborts: new AbortLog() }
}

/** How long `GET /abort/wait` keeps the response open when nobody aborts. */
export const ABORT_WAIT_MS = GIVE_UP_MS
