import type { InputStream } from '@tsgi/core'
import { untilOverOrIdle } from '../late-upload.ts'

/**
 * `tsgi.input` as the fetch bridge reads it for a handler (the request body's stream, or
 * `json()`, `text()`...), telling whether the handler is in the middle of reading it.
 *
 * A handler may answer first and read its upload after (Hono's `c.req.raw.body`, read on once
 * the `Response` is returned). On its own server (`@hono/node-server`, node:http underneath) the
 * upload keeps arriving. The gateway server takes `tsgi.input` back when the response's body
 * closes and discards the rest, so the bridge holds the end of the response back while such a
 * read goes on ({@link reading}, {@link over}).
 */
export class UploadProgress implements InputStream {
  #input: InputStream
  /** The upload's length (`CONTENT_LENGTH`), or -1: a reader may stop once it has that many bytes. */
  #length: number
  #taken = 0
  /** Reads asked for and not answered yet: the handler waits for the client. */
  #inFlight = 0
  #reading = false
  #over: Promise<void> | undefined
  #settle: (() => void) | undefined

  constructor(input: InputStream, length: number) {
    this.#input = input
    this.#length = length
  }

  /** The handler started reading the upload and has reached neither its end nor an error. */
  get reading(): boolean {
    return this.#reading
  }

  /**
   * Resolves once the read in progress reached the end of the upload or failed, or once the
   * handler stopped asking for chunks for a while (`untilOverOrIdle`; a handler waiting for a slow
   * client is not that): a read it gave up must not hold the response.
   */
  over(): Promise<void> {
    if (!this.#reading) return Promise.resolve()
    this.#over ??= new Promise((resolve) => {
      this.#settle = resolve
    })
    return untilOverOrIdle(this.#over, { taken: () => this.#taken, waiting: () => this.#inFlight > 0 })
  }

  read(size?: number): Promise<Uint8Array> {
    return this.#input.read(size)
  }

  readline(size?: number): Promise<Uint8Array> {
    return this.#input.readline(size)
  }

  [Symbol.asyncIterator](): AsyncIterator<Uint8Array> {
    const chunks = this.#input[Symbol.asyncIterator]()
    return {
      next: () => {
        this.#reading = true
        this.#inFlight++
        return chunks.next().then(
          (step) => {
            this.#inFlight--
            if (step.done) this.#end()
            else {
              this.#taken += step.value.byteLength
              // A reader that knows the length (the Node bridge under `c.env.incoming`) stops
              // there, without the last step that would say so.
              if (this.#taken === this.#length) this.#end()
            }
            return step
          },
          (error: unknown) => {
            this.#inFlight--
            this.#end()
            throw error
          },
        )
      },
      return: (value?: unknown) => {
        this.#end()
        return chunks.return?.(value) ?? Promise.resolve({ done: true, value: undefined })
      },
    }
  }

  #end(): void {
    this.#reading = false
    this.#settle?.()
  }
}
