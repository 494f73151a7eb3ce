import type { Broadcaster } from './broadcaster.ts'
import { type Entry, entryToJson } from './entry.ts'

/** Options for one server-sent-event stream. */
export interface EventStreamOptions {
  /** Ends the stream when aborted (the client went away). */
  signal?: AbortSignal | undefined
  /** Entries the client missed (after its `Last-Event-ID`), sent first, oldest first. */
  replay?: readonly Entry[]
  /** A comment line this often keeps proxies from closing an idle stream; 0 disables. */
  heartbeatMs?: number
}

const encoder = new TextEncoder()

/**
 * One `text/event-stream` event for an entry (HTML §9.2.6). `id` lets a reconnecting
 * EventSource resume with `Last-Event-ID`; JSON never contains a raw line break.
 */
export function formatEntryEvent(entry: Entry): string {
  return `id: ${entry.id}\nevent: entry\ndata: ${JSON.stringify(entryToJson(entry))}\n\n`
}

/**
 * The bytes of an SSE response: a first comment (so headers and a chunk go out at once),
 * then each entry as it is published. A hand-written iterator rather than an async generator:
 * a generator parked on `await` cannot be ended by `return()` until its next event, whereas
 * here `return()` and the abort signal unsubscribe at once.
 */
export class EntryEventStream implements AsyncIterableIterator<Uint8Array> {
  #queue: Uint8Array[] = []
  #wake: (() => void) | undefined
  #done = false
  #unsubscribe: () => void
  #heartbeat: ReturnType<typeof setInterval> | undefined
  #onAbort = (): void => this.close()
  #signal: AbortSignal | undefined

  constructor(broadcaster: Broadcaster, options: EventStreamOptions = {}) {
    this.#push(': connected\n\n')
    for (const entry of options.replay ?? []) this.#push(formatEntryEvent(entry))
    this.#unsubscribe = broadcaster.subscribe((entry) => this.#push(formatEntryEvent(entry)))
    const heartbeatMs = options.heartbeatMs ?? 15_000
    if (heartbeatMs > 0) this.#heartbeat = setInterval(() => this.#push(': ping\n\n'), heartbeatMs).unref()
    this.#signal = options.signal
    if (this.#signal?.aborted) this.close()
    else this.#signal?.addEventListener('abort', this.#onAbort, { once: true })
  }

  #push(text: string): void {
    if (this.#done) return
    this.#queue.push(encoder.encode(text))
    this.#wake?.()
  }

  /** The next chunk, waiting for one; done once closed. */
  async next(): Promise<IteratorResult<Uint8Array, undefined>> {
    for (;;) {
      const chunk = this.#queue.shift()
      if (chunk) return { value: chunk, done: false }
      if (this.#done) return { value: undefined, done: true }
      await new Promise<void>((resolve) => {
        this.#wake = resolve
      })
      this.#wake = undefined
    }
  }

  /** Ends the stream (a consumer stopped reading). */
  async return(): Promise<IteratorResult<Uint8Array, undefined>> {
    this.close()
    return { value: undefined, done: true }
  }

  /** Unsubscribes, stops the heartbeat and wakes a pending `next()` with done. Idempotent. */
  close(): void {
    if (this.#done) return
    this.#done = true
    this.#queue = []
    this.#unsubscribe()
    clearInterval(this.#heartbeat)
    this.#signal?.removeEventListener('abort', this.#onAbort)
    this.#wake?.()
  }

  [Symbol.asyncIterator](): this {
    return this
  }
}
