import type { InputStream } from '@tsgi/core'
import { InputAfterResponseError } from './errors.ts'

/** What a `RequestInput` asks of the connection feeding it. */
export interface InputSource {
  /** The app read for the first time: the moment to send `100 Continue` (RFC 9110 §10.1.1). */
  onFirstRead(): void
  /** The app consumed enough that the connection may read from the socket again. */
  onDrain(): void
}

/** Buffered body bytes above which the connection stops reading the socket. */
const HIGH_WATER_BYTES = 64 * 1024

const EMPTY = new Uint8Array(0)

/**
 * `tsgi.input`: the request body, pushed in by the connection as it is decoded and pulled
 * out by the app. `push()` returns false once `HIGH_WATER_BYTES` are buffered, and the
 * connection pauses the socket until `onDrain`: memory stays flat whatever the body size.
 */
export class RequestInput implements InputStream {
  #chunks: Buffer[] = []
  #buffered = 0
  #ended = false
  #error: Error | null = null
  /** Detached with bytes unread: reads fail with an {@link InputAfterResponseError}, made when one does. */
  #cut = false
  #wake: (() => void) | null = null
  #source: InputSource | null
  #started = false
  #full = false

  constructor(source: InputSource | null) {
    this.#source = source
  }

  /** True while the app waits for bytes that have not arrived. */
  get starved(): boolean {
    return this.#wake !== null
  }

  /** The app has read at least once. */
  get started(): boolean {
    return this.#started
  }

  /** The error the body ended with, if any. */
  get error(): Error | null {
    return this.#failure()
  }

  /** Adds decoded body bytes; false when the app should be given time to catch up. */
  push(chunk: Buffer): boolean {
    if (this.#ended) return true
    this.#chunks.push(chunk)
    this.#buffered += chunk.length
    this.#notify()
    if (this.#buffered >= HIGH_WATER_BYTES) this.#full = true
    return !this.#full
  }

  /** The body is complete. */
  end(): void {
    this.#ended = true
    this.#notify()
  }

  /** The body cannot complete: reads reject with `error` once the buffered bytes are exhausted. */
  fail(error: Error): void {
    if (this.#ended) return
    this.#error = error
    this.#ended = true
    this.#notify()
  }

  /**
   * The response is over: drop what is buffered. A late reader of a body read to its end still
   * finds its end; of one with bytes unread, an {@link InputAfterResponseError}: the rest is
   * discarded, and a prefix must never pass for the whole body.
   */
  detach(): void {
    const unread = this.#buffered > 0 || !this.#ended
    this.#chunks = []
    this.#buffered = 0
    this.#source = null
    // Made only if a read comes: constructing an error (its stack) costs several µs, and most
    // apps that leave a body unread (a 401, a redirect) never touch it again.
    if (unread && this.#error === null) this.#cut = true
    this.#ended = true
    this.#notify()
  }

  async read(size?: number): Promise<Uint8Array> {
    this.#start()
    const want = size === undefined || size < 0 ? Number.POSITIVE_INFINITY : size
    while (this.#buffered < want && !this.#ended) await this.#more()
    return this.#take(want)
  }

  async readline(size?: number): Promise<Uint8Array> {
    this.#start()
    const max = size === undefined || size < 0 ? Number.POSITIVE_INFINITY : size
    for (;;) {
      const lf = this.#indexOfLf()
      if (lf !== -1) return this.#take(Math.min(lf + 1, max))
      if (this.#buffered >= max || this.#ended) return this.#take(max)
      await this.#more()
    }
  }

  async *[Symbol.asyncIterator](): AsyncIterator<Uint8Array> {
    this.#start()
    for (;;) {
      while (this.#buffered === 0 && !this.#ended) await this.#more()
      const failure = this.#failure()
      if (failure !== null) throw failure
      if (this.#buffered === 0) return
      const chunk = this.#chunks.shift()!
      this.#buffered -= chunk.length
      this.#relieve()
      yield chunk
    }
  }

  #failure(): Error | null {
    if (this.#cut && this.#error === null) this.#error = new InputAfterResponseError()
    return this.#error
  }

  #start(): void {
    if (this.#started) return
    this.#started = true
    this.#source?.onFirstRead()
  }

  #more(): Promise<void> {
    // A reader waiting for more than is buffered (read() of the rest, a long line) asks for
    // bytes beyond the high-water mark: let the socket flow again, or it would wait forever.
    if (this.#full) {
      this.#full = false
      this.#source?.onDrain()
    }
    return new Promise((resolve) => {
      this.#wake = resolve
    })
  }

  #notify(): void {
    const wake = this.#wake
    if (wake !== null) {
      this.#wake = null
      wake()
    }
  }

  #relieve(): void {
    if (this.#full && this.#buffered < HIGH_WATER_BYTES / 2) {
      this.#full = false
      this.#source?.onDrain()
    }
  }

  #indexOfLf(): number {
    let offset = 0
    for (const chunk of this.#chunks) {
      const i = chunk.indexOf(10)
      if (i !== -1) return offset + i
      offset += chunk.length
    }
    return -1
  }

  /**
   * Removes and returns up to `n` buffered bytes. A failed body throws even when bytes are
   * buffered: an app must never mistake the prefix of a broken body for the whole of it.
   */
  #take(n: number): Uint8Array {
    const failure = this.#failure()
    if (failure !== null) throw failure
    if (this.#buffered === 0) return EMPTY
    const chunks = this.#chunks
    let out: Buffer
    if (n >= this.#buffered) {
      out = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, this.#buffered)
      this.#chunks = []
      this.#buffered = 0
    } else {
      const parts: Buffer[] = []
      let got = 0
      while (got < n) {
        const chunk = chunks[0]!
        const need = n - got
        if (chunk.length <= need) {
          parts.push(chunk)
          chunks.shift()
          got += chunk.length
        } else {
          parts.push(chunk.subarray(0, need))
          chunks[0] = chunk.subarray(need)
          got = n
        }
      }
      this.#buffered -= got
      out = parts.length === 1 ? parts[0]! : Buffer.concat(parts, got)
    }
    this.#relieve()
    return out
  }
}
