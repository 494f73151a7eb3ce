import type { ReadResult } from './read-ahead.ts'
import { toBytes } from './read-ahead.ts'
import type { UploadProgress } from './upload-progress.ts'

const DONE: IteratorReturnResult<undefined> = { done: true, value: undefined }

/**
 * A fetch response body as a tsgi `Body`: each chunk of the `ReadableStream` is
 * handed to the server as it arrives (SSE reaches the client event by event), and
 * the next one is read only when the server asks, which carries the socket's
 * backpressure back to the producer. `close()` (the server calls it after the end,
 * an error or a disconnect) and an abort of `tsgi.signal` cancel the reader, so the
 * handler's stream sees `cancel()` and can stop producing.
 */
export class StreamBody implements AsyncIterableIterator<Uint8Array> {
  #reader: ReadableStreamDefaultReader<Uint8Array>
  #buffered: Uint8Array[]
  #pending: Promise<ReadResult> | undefined
  #signal: AbortSignal | undefined
  #upload: UploadProgress | undefined
  #finished = false
  #onAbort = (): void => {
    void this.close()
  }

  constructor(
    reader: ReadableStreamDefaultReader<Uint8Array>,
    buffered: Uint8Array[],
    pending: Promise<ReadResult> | undefined,
    signal: AbortSignal | undefined,
    upload?: UploadProgress,
  ) {
    this.#reader = reader
    this.#buffered = buffered
    this.#pending = pending
    this.#signal = signal
    this.#upload = upload
    if (signal?.aborted) void this.close()
    else signal?.addEventListener('abort', this.#onAbort, { once: true })
  }

  [Symbol.asyncIterator](): this {
    return this
  }

  async next(): Promise<IteratorResult<Uint8Array, undefined>> {
    const buffered = this.#buffered.shift()
    if (buffered !== undefined) return { done: false, value: buffered }
    if (this.#finished) return this.#end()
    const read = this.#pending ?? this.#reader.read()
    this.#pending = undefined
    let result: ReadResult
    try {
      result = await read
    } catch (error) {
      this.#finish()
      throw error
    }
    if (result.done) {
      this.#finish()
      return this.#end()
    }
    return { done: false, value: toBytes(result.value) }
  }

  async return(): Promise<IteratorReturnResult<undefined>> {
    await this.close()
    return DONE
  }

  /** Cancels the stream unless it already ended; safe to call more than once. */
  async close(): Promise<void> {
    if (this.#finished) return
    this.#finish()
    this.#buffered.length = 0
    // The handler's stream may reject cancel(); the response is over either way.
    await this.#reader.cancel().catch(() => {})
  }

  /**
   * The end, once the handler's read of its upload, if one is in progress, is over: it reads on
   * after answering, and the server takes the upload back when the body ends.
   */
  async #end(): Promise<IteratorReturnResult<undefined>> {
    if (this.#upload?.reading) await this.#upload.over()
    return DONE
  }

  #finish(): void {
    this.#finished = true
    this.#signal?.removeEventListener('abort', this.#onAbort)
  }
}
