import type { InputStream } from '@tsgi/core'

/**
 * `tsgi.input` as the fetch bridge reads it for a handler (the request body's stream, or
 * `json()`, `text()`...), telling whether the handler is in the middle of reading it.
 *
 * A handler may answer first and read its upload after (Hono's `c.req.raw.body`, read on once
 * the `Response` is returned). On its own server (`@hono/node-server`, node:http underneath) the
 * upload keeps arriving. The gateway server takes `tsgi.input` back when the response's body
 * closes and discards the rest, so the bridge holds the end of the response back until such a
 * read is over ({@link reading}, {@link over}).
 */
export class UploadProgress implements InputStream {
  #input: InputStream
  #reading = false
  #over: Promise<void> | undefined
  #settle: (() => void) | undefined

  constructor(input: InputStream) {
    this.#input = input
  }

  /** The handler started reading the upload and has reached neither its end nor an error. */
  get reading(): boolean {
    return this.#reading
  }

  /** Resolves once the read in progress reached the end of the upload, or failed. */
  over(): Promise<void> {
    if (!this.#reading) return Promise.resolve()
    this.#over ??= new Promise((resolve) => {
      this.#settle = resolve
    })
    return this.#over
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
      next: async () => {
        this.#reading = true
        try {
          const step = await chunks.next()
          if (step.done) this.#end()
          return step
        } catch (error) {
          this.#end()
          throw error
        }
      },
      return: async () => {
        this.#end()
        return (await chunks.return?.()) ?? { done: true, value: undefined }
      },
    }
  }

  #end(): void {
    this.#reading = false
    this.#settle?.()
  }
}
