import { checkFunction } from './check-argument.ts'
import { TsgiSpecError } from './errors.ts'
import { checkInjectRequest, environFromRequest, type InjectRequest } from './request-environ.ts'
import type { App, Body, HeaderList, StartResponse, Write } from './types.ts'

/** What `inject` resolves to: the response as a server would have sent it. */
export interface InjectResponse {
  /** The status code, e.g. `404`. */
  status: number
  /** The reason phrase, e.g. `'Not Found'`. */
  statusText: string
  /** The headers the app gave (the last `startResponse` call's), in order. */
  headers: HeaderList
  /** Every byte written or yielded (empty for `HEAD`). */
  body: Uint8Array
  /** The body decoded as UTF-8. */
  text(): string
}

/**
 * Calls a gateway app in memory, as a server would, and collects the response: it honours
 * `write()` and the returned iterable, `excInfo`, deferred headers, and `HEAD` (body discarded),
 * and always closes the body. Errors the app throws reject the promise (a server would answer 500);
 * a broken contract rejects with `TsgiSpecError`. Wrap the app in `validate()` for every other check.
 *
 * @example
 * const response = await inject(app, { method: 'POST', url: '/items?x=1', body: 'hello' })
 * expect(response.status).toBe(201)
 */
export async function inject(app: App, request: InjectRequest = {}): Promise<InjectResponse> {
  checkFunction(app, 'inject() app', 'a gateway app (environ, startResponse) => body')
  checkInjectRequest(request)
  const environ = environFromRequest(request)
  const capture = new CapturedResponse(environ.REQUEST_METHOD === 'HEAD')
  const body = await app(environ, capture.startResponse)
  await capture.consume(body)
  return capture.result()
}

class CapturedResponse {
  #status: string | undefined
  #headers: HeaderList = []
  #chunks: Uint8Array[] = []
  #headersSent = false
  #head: boolean

  constructor(head: boolean) {
    this.#head = head
  }

  startResponse: StartResponse = (status, headers, excInfo) => {
    if (excInfo !== undefined) {
      // PEP 3333: with exc_info, replace unsent headers, else re-raise the app's own error.
      if (this.#headersSent) throw excInfo
    } else if (this.#status !== undefined) {
      throw new TsgiSpecError('response.start-once', 'startResponse was called twice without excInfo')
    }
    if (typeof status !== 'string' || !/^\d{3} /.test(status)) {
      throw new TsgiSpecError(
        'response.status',
        `status must look like "200 OK", got ${JSON.stringify(status)}`,
      )
    }
    if (!Array.isArray(headers)) {
      throw new TsgiSpecError('headers.list', 'headers must be an array of [name, value] pairs')
    }
    this.#status = status
    this.#headers = headers.map(([name, value]) => [name, value])
    return this.#write
  }

  #write: Write = async (chunk) => {
    if (!(chunk instanceof Uint8Array)) {
      throw new TsgiSpecError('write.bytes', `write() takes a Uint8Array, got ${typeof chunk}`)
    }
    this.#collect(chunk)
  }

  #collect(chunk: Uint8Array): void {
    if (chunk.byteLength === 0) return
    this.#headersSent = true
    if (!this.#head) this.#chunks.push(chunk.slice())
  }

  async consume(body: Body): Promise<void> {
    try {
      if (!isIterable(body)) {
        throw new TsgiSpecError(
          'body.type',
          `the app must return an iterable of Uint8Array, got ${describe(body)}`,
        )
      }
      for await (const chunk of body as AsyncIterable<unknown>) {
        if (!(chunk instanceof Uint8Array)) {
          throw new TsgiSpecError('body.chunk-type', `body chunks must be Uint8Array, got ${describe(chunk)}`)
        }
        if (chunk.byteLength > 0 && this.#status === undefined) {
          throw new TsgiSpecError(
            'response.started-before-body',
            'the body yielded bytes before startResponse',
          )
        }
        this.#collect(chunk)
      }
      if (this.#status === undefined) {
        throw new TsgiSpecError(
          'response.started-before-body',
          'the app finished without calling startResponse',
        )
      }
    } finally {
      await (body as Body | null)?.close?.()
    }
  }

  result(): InjectResponse {
    const status = this.#status!
    const body = concat(this.#chunks)
    return {
      status: Number(status.slice(0, 3)),
      statusText: status.slice(4),
      headers: this.#headers,
      body,
      text: () => new TextDecoder().decode(body),
    }
  }
}

function isIterable(body: unknown): body is Body {
  return (
    typeof body === 'object' &&
    body !== null &&
    !(body instanceof Uint8Array) &&
    (Symbol.asyncIterator in body || Symbol.iterator in body)
  )
}

function describe(value: unknown): string {
  if (value === null) return 'null'
  if (value instanceof Uint8Array) return 'a bare Uint8Array'
  return typeof value === 'object' ? (value.constructor?.name ?? 'object') : typeof value
}

function concat(chunks: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(chunks.reduce((total, chunk) => total + chunk.byteLength, 0))
  let at = 0
  for (const chunk of chunks) {
    out.set(chunk, at)
    at += chunk.byteLength
  }
  return out
}
