import type { Environ } from '@tsgi/core'
import { FROM_BYTES } from './direct-readers.ts'
import { inputBody } from './input-body.ts'
import { readInput } from './read-input.ts'
import { requestHeaders } from './request-headers.ts'

/** `RequestInit` as Node's fetch accepts it: a stream body needs `duplex: 'half'`. */
type StreamingRequestInit = RequestInit & { duplex?: 'half' }

/** Members {@link LazyRequest} answers itself; every other one goes to the real `Request`. */
const OWN = new Set(['constructor', 'method', 'url', 'headers', 'signal', 'bodyUsed'])
const BODY_READERS = new Set(Object.keys(FROM_BYTES))

/**
 * A request that is a `Request` to its handler (`instanceof Request`, `[object Request]`,
 * every member of `Request.prototype`) but builds the runtime's real `Request` only when
 * something needs one. On Node 20 a `Request` costs about 3.5 µs (an `AbortController`
 * included) while a router only reads `method` and `url`, so those two are plain values,
 * `headers` a `Headers` built on first read, `signal` is `tsgi.signal`, and `text()`,
 * `json()`, `arrayBuffer()` and `bytes()` read `tsgi.input` directly, without a stream.
 * Everything else (`body`, `clone()`, `formData()`, `cache`, ...) is answered by a real
 * `Request` created on first use, with a body streaming from `tsgi.input` (or an already
 * read one, when the body was taken directly).
 *
 * The runtime's `Request.prototype` is only inherited from, never modified.
 */
export class LazyRequest {
  #environ: Environ
  #method: string
  #url: string
  #hasBody: boolean
  #headers: Headers | undefined
  #real: Request | undefined
  /** The body was handed to a direct reader: the body is "used" from then on. */
  #taken = false

  static #inherits = false

  constructor(environ: Environ, method: string, url: string, hasBody: boolean) {
    if (!LazyRequest.#inherits) LazyRequest.#inheritRequest()
    this.#environ = environ
    this.#method = method
    this.#url = url
    this.#hasBody = hasBody
  }

  get method(): string {
    return this.#method
  }

  get url(): string {
    return this.#url
  }

  get headers(): Headers {
    this.#headers ??= new Headers(requestHeaders(this.#environ))
    return this.#headers
  }

  /** `tsgi.signal` itself (see `requestFromEnviron`); the real request's own one without it. */
  get signal(): AbortSignal {
    const environ = this.#environ
    return 'tsgi.signal' in environ ? environ['tsgi.signal']! : this.#request().signal
  }

  get bodyUsed(): boolean {
    return this.#real === undefined ? this.#taken : this.#real.bodyUsed
  }

  text(): Promise<string> {
    return this.#real === undefined ? this.#take().then(FROM_BYTES.text) : this.#real.text()
  }

  json(): Promise<unknown> {
    return this.#real === undefined ? this.#take().then(FROM_BYTES.json) : this.#real.json()
  }

  arrayBuffer(): Promise<ArrayBuffer> {
    return this.#real === undefined ? this.#take().then(FROM_BYTES.arrayBuffer) : this.#real.arrayBuffer()
  }

  bytes(): Promise<Uint8Array> {
    if (this.#real === undefined) return this.#take()
    return (this.#real as Request & { bytes(): Promise<Uint8Array> }).bytes()
  }

  /** The whole body for a direct reader; rejects as `Request` does once the body is used. */
  #take(): Promise<Uint8Array> {
    if (!this.#hasBody) return Promise.resolve(new Uint8Array(0))
    if (this.#taken) return Promise.reject(new TypeError('Body is unusable: the body was already read'))
    this.#taken = true
    return readInput(this.#environ['tsgi.input'])
  }

  /** The real `Request`, created on first need. */
  #request(): Request {
    if (this.#real !== undefined) return this.#real
    const init: StreamingRequestInit = { method: this.#method, headers: this.headers }
    if (this.#hasBody) {
      init.body = this.#taken ? closedStream() : inputBody(this.#environ['tsgi.input'])
      init.duplex = 'half'
    }
    const real = new Request(this.#url, init)
    // Fetch standard: reading a stream makes it "disturbed", which is what `bodyUsed` reports.
    if (this.#taken) real.body?.getReader().read()
    this.#real = real
    return real
  }

  /**
   * Makes the class a `Request` to its users: done by the first instance, not at import, since
   * touching `Request` loads the runtime's fetch (undici with http2, tls and zlib: about 10 MB of
   * memory), which an Express or Koa app served through the same package never needs.
   */
  static #inheritRequest(): void {
    LazyRequest.#inherits = true
    Object.setPrototypeOf(LazyRequest.prototype, Request.prototype)
    // `request.constructor` is `Request`, as on a real one (`new request.constructor(...)`).
    Object.defineProperty(LazyRequest.prototype, 'constructor', {
      value: Request,
      writable: true,
      configurable: true,
    })
    const descriptors = Object.getOwnPropertyDescriptors(Request.prototype)
    for (const [name, descriptor] of Object.entries(descriptors)) {
      if (OWN.has(name) || BODY_READERS.has(name)) continue
      Object.defineProperty(
        LazyRequest.prototype,
        name,
        delegate(name, descriptor, (lazy) => lazy.#request()),
      )
    }
    // The runtime's own code, given this object as a `Request` (`new Request(lazy)`,
    // `fetch(lazy)`, a `Request.prototype` method called on it), looks for its state in
    // symbol-keyed own properties of a real request (undici 6, Node 20): answer those from
    // the real request too. They are found by reflection, no name is assumed.
    const probe = new Request('http://tsgi.invalid/') as unknown as Record<symbol, unknown>
    for (const symbol of Object.getOwnPropertySymbols(probe)) {
      // The one holding the signal is read when the runtime copies the request (`new
      // Request(lazy)`, `fetch(lazy)`, Hono's `bodyLimit`): the copy then follows this request's
      // own `signal`, `tsgi.signal`, so it too aborts when the client leaves.
      const isSignal = probe[symbol] === (probe as unknown as Request).signal
      Object.defineProperty(LazyRequest.prototype, symbol, {
        configurable: true,
        get(this: LazyRequest) {
          if (isSignal) return this.signal
          return (this.#request() as unknown as Record<symbol, unknown>)[symbol]
        },
      })
    }
  }
}

/** A member of `Request.prototype` answered by the real request. */
function delegate(
  name: string,
  descriptor: PropertyDescriptor,
  real: (lazy: LazyRequest) => Request,
): PropertyDescriptor {
  const key = name as keyof Request
  if (typeof descriptor.value === 'function') {
    return {
      ...descriptor,
      value(this: LazyRequest, ...args: unknown[]): unknown {
        const request = real(this)
        return (request[key] as (...a: unknown[]) => unknown).apply(request, args)
      },
    }
  }
  if (descriptor.get === undefined) return descriptor
  return {
    configurable: descriptor.configurable,
    enumerable: descriptor.enumerable,
    get(this: LazyRequest): unknown {
      return real(this)[key]
    },
  }
}

function closedStream(): ReadableStream<Uint8Array> {
  return new ReadableStream<Uint8Array>({ start: (controller) => controller.close() })
}
