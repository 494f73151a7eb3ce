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

/** Resolves when the function handed to `arm` is called, or after {@link GIVE_UP_MS} anyway. */
function notifiedOrGivenUp(arm: (notify: () => void) => void): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, GIVE_UP_MS)
    arm(() => {
      clearTimeout(timer)
      resolve()
    })
  })
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
      await notifiedOrGivenUp((notify) => {
        this.#notify = notify
      })
    }
    this.#notify = undefined
    const aborted = this.#aborted
    this.#aborted = false
    return aborted
  }
}

/** What became of an upload after the response: the bytes the app got and the events it saw. */
export interface UploadReport {
  received: number
  events: string[]
}

/**
 * Records what a request's upload does once the response is out (`POST /upload/ignore`,
 * `POST /upload/late`), for `GET /upload/last` to report when it is over.
 */
export class UploadLog {
  #report: UploadReport = { received: 0, events: [] }
  #over = false
  #notify: (() => void) | undefined

  /** Starts a new report. */
  begin(): void {
    this.#report = { received: 0, events: [] }
    this.#over = false
  }

  received(bytes: number): void {
    this.#report.received += bytes
  }

  /** One event; `final` marks the last one the request can emit ('close', or a stream's end or error). */
  event(name: string, final = false): void {
    this.#report.events.push(name)
    if (!final) return
    this.#over = true
    this.#notify?.()
  }

  /** The report once the request is over (waiting a moment for it), or as it stands when it never is. */
  async last(): Promise<UploadReport> {
    if (!this.#over) {
      await notifiedOrGivenUp((notify) => {
        this.#notify = notify
      })
    }
    this.#notify = undefined
    return this.#report
  }
}

/** Per app instance state shared between requests. */
export interface AppState {
  gate: Gate
  aborts: AbortLog
  uploads: UploadLog
}

/** Fresh state: every (framework, way) session builds its own app. */
export function createAppState(): AppState {
  return { gate: new Gate(), aborts: new AbortLog(), uploads: new UploadLog() }
}

/** How long `POST /upload/late` waits after answering before it reads the rest of the upload. */
export const LATE_READ_MS = 20

/** How long `GET /abort/wait` keeps the response open when nobody aborts. */
export const ABORT_WAIT_MS = GIVE_UP_MS
