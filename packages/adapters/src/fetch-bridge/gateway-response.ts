import type { Body, ErrorStream, HeaderList, StartResponse, Write } from '@tsgi/core'

type Chunks = Iterator<Uint8Array> | AsyncIterator<Uint8Array>

/** RFC 9110 §6.4.1 (and `Response`'s own rule): these statuses carry no content. */
const NULL_BODY_STATUSES = new Set([101, 103, 204, 205, 304])

/**
 * One gateway response turned into a fetch `Response`. It plays the server's part
 * of PEP 3333: `startResponse` records the status and headers (replaceable with
 * `excInfo` until they are sent), `write()` queues bytes, and the `Response` is
 * created only once the first non-empty chunk exists or the body ended, so a late
 * `startResponse` with `excInfo` can still change the status. The body then streams:
 * the next chunk is asked of the app only when the runtime reads one.
 */
export class GatewayResponse {
  #status: string | undefined
  #headers: HeaderList = []
  #queue: Uint8Array[] = []
  #sent = false
  #head: boolean
  #errors: ErrorStream
  #closed = false

  constructor(head: boolean, errors: ErrorStream) {
    this.#head = head
    this.#errors = errors
  }

  startResponse: StartResponse = (status, headers, excInfo) => {
    // Any thrown value is an excInfo, `null` included; only `undefined` means none (SPEC §6).
    if (excInfo !== undefined) {
      // PEP 3333: headers already on their way -> re-raise the app's own error.
      if (this.#sent) throw excInfo
    } else if (this.#status !== undefined) {
      throw new Error('startResponse() was called a second time without excInfo')
    }
    this.#status = status
    this.#headers = headers
    return this.#write
  }

  #write: Write = async (chunk) => {
    if (this.#status === undefined) throw new Error('write() was called before startResponse()')
    if (chunk.byteLength > 0) this.#queue.push(chunk)
  }

  /**
   * The app failed before its head went out: a 500, as a TSGI server answers (SPEC
   * `server.app-error`), and the error in `tsgi.errors`, not left to the runtime.
   */
  failed(error: unknown): Response {
    this.#report(error)
    return new Response('Internal Server Error', {
      status: 500,
      headers: { 'Content-Type': 'text/plain; charset=utf-8' },
    })
  }

  /** Waits for the first non-empty chunk (or the end), then answers with the `Response`. */
  async respond(body: Body): Promise<Response> {
    let chunks: Chunks | undefined
    let first: Uint8Array | undefined
    try {
      chunks = iterate(body)
      first = this.#queue.shift() ?? (await nextNonEmpty(chunks))
      if (this.#status === undefined) throw new Error('the app returned without calling startResponse()')
    } catch (error) {
      await this.#finish(body, chunks)
      return this.failed(error)
    }
    this.#sent = true
    const status = Number(this.#status.slice(0, 3))
    const init = { status, statusText: this.#status.slice(4), headers: toHeaders(this.#headers) }
    if (first === undefined || this.#head || NULL_BODY_STATUSES.has(status)) {
      await this.#finish(body, chunks)
      return new Response(null, init)
    }
    return new Response(this.#stream(first, body, chunks), init)
  }

  #report(error: unknown): void {
    const text = error instanceof Error ? (error.stack ?? String(error)) : String(error)
    this.#errors.write(`@tsgi/adapters toFetchHandler: ${text}\n`)
  }

  /** PEP 3333: close() once, after completion, error or disconnect; the iterator's return() first. */
  async #finish(body: Body, chunks: Chunks | undefined): Promise<void> {
    if (this.#closed) return
    this.#closed = true
    try {
      await chunks?.return?.()
    } finally {
      await body.close?.()
    }
  }

  #stream(first: Uint8Array, body: Body, chunks: Chunks): ReadableStream<Uint8Array> {
    const queue = this.#queue
    queue.unshift(first)
    let cancelled = false
    return new ReadableStream<Uint8Array>(
      {
        pull: async (controller): Promise<void> => {
          try {
            const chunk = queue.shift() ?? (await nextNonEmpty(chunks))
            // Cancelled while the chunk was coming: the stream takes nothing more.
            if (cancelled) return
            if (chunk !== undefined) return controller.enqueue(chunk)
            await this.#finish(body, chunks)
            controller.close()
          } catch (error) {
            if (cancelled) return
            // Part of the response is out: the stream fails, so the client sees it cut short.
            this.#report(error)
            await this.#finish(body, chunks)
            controller.error(error)
          }
        },
        // The runtime cancels when the client goes away: PEP 3333 close() on disconnect.
        cancel: () => {
          cancelled = true
          return this.#finish(body, chunks)
        },
      },
      { highWaterMark: 0 },
    )
  }
}

function iterate(body: Body): Chunks {
  const asyncIterable = body as AsyncIterable<Uint8Array>
  if (typeof asyncIterable[Symbol.asyncIterator] === 'function') return asyncIterable[Symbol.asyncIterator]()
  return (body as Iterable<Uint8Array>)[Symbol.iterator]()
}

async function nextNonEmpty(chunks: Chunks): Promise<Uint8Array | undefined> {
  for (;;) {
    const step = await chunks.next()
    if (step.done) return undefined
    if (step.value.byteLength > 0) return step.value
  }
}

function toHeaders(list: HeaderList): Headers {
  const headers = new Headers()
  for (const [name, value] of list) headers.append(name, value)
  return headers
}
