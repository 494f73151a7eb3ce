import type { Environ } from '@tsgi/core'
import { withDirectReaders } from './direct-readers.ts'
import { hasRequestBody, inputBody } from './input-body.ts'
import { LazyRequest } from './lazy-request.ts'
import { requestHeaders } from './request-headers.ts'
import { requestMethod } from './request-method.ts'
import { requestUrl } from './request-url.ts'
import { UnrepresentableRequestError } from './unrepresentable-request.ts'

/** `RequestInit` as Node's fetch accepts it: a stream body needs `duplex: 'half'`. */
type StreamingRequestInit = RequestInit & { duplex?: 'half' }

/**
 * A `Request` for the request an environ describes: URL from {@link requestUrl}, headers
 * from `HTTP_*`, body streaming from `tsgi.input` when `hasBody` (by default: the environ
 * announces one; never for GET/HEAD). Where the `Request` constructor would refuse the request
 * (a bad method or URL, a URL with credentials), throws an {@link UnrepresentableRequestError}.
 *
 * Where the runtime accepts it as a request everywhere (`new Request(it)`, `fetch(it)`:
 * Node 20), this is a {@link LazyRequest}, which builds the real `Request` only when a
 * member other than `method`, `url`, `headers`, `signal` or a body reader is used.
 * Undici 7 (Node 24) keeps a request's state in private fields, so an object that is
 * not a real `Request` would break there: the real one is built at once.
 *
 * `request.signal` is `tsgi.signal` itself, so the handler learns when the client goes
 * away. Passing it as `init.signal` instead would make undici follow it with a second
 * AbortController, a WeakRef and a FinalizationRegistry entry on every request (~7 µs on
 * Node 20; on Node 24 it made a 64 KiB JSON POST about 8% slower, `bench/adapters-ab.mjs`)
 * and would force the server to build `tsgi.signal` for every request. On Node 20 a copy
 * (`new Request(request)`, `fetch(request)`) still follows the client: the lazy request hands
 * the runtime `tsgi.signal` as its own when copied. What does not: `request.clone()`, and on
 * Node 24, where undici reads the signal to follow from a private field, any copy.
 */
export function requestFromEnviron(environ: Environ, hasBody = hasRequestBody(environ)): Request {
  // A `Request` cannot carry TRACE (a forbidden method): as `@hono/node-server` does, it is made
  // as a GET whose `method` says TRACE. Without a body (RFC 9110 §9.3.8: a TRACE request has no
  // content), where `@hono/node-server` still lets a handler read one a client sent.
  const trace = environ.REQUEST_METHOD === 'TRACE'
  const method = trace ? 'GET' : requestMethod(environ.REQUEST_METHOD)
  const href = requestUrl(environ)
  // The runtime's `Request` parses the URL and refuses credentials itself: one parse, not two.
  const lazy = lazyRequests()
  if (!lazy && !trace) return realRequest(environ, href, method, hasBody)
  let url: URL
  try {
    url = new URL(href)
  } catch (error) {
    throw new UnrepresentableRequestError(`The request URL ${href} does not parse`, { cause: error })
  }
  // Fetch standard, `new Request()`: a URL with credentials is a TypeError.
  if (url.username !== '' || url.password !== '') {
    throw new UnrepresentableRequestError('The request URL includes credentials')
  }
  if (trace)
    return traced(
      lazy
        ? new LazyRequest(environ, method, url.href, false)
        : realRequest(environ, url.href, method, false),
    )
  return new LazyRequest(environ, method, url.href, hasBody) as unknown as Request
}

/** The runtime's own `Request` for the environ, `signal` reading `tsgi.signal`. */
function realRequest(environ: Environ, url: string, method: string, hasBody: boolean): Request {
  const init: StreamingRequestInit = { method, headers: requestHeaders(environ) }
  if (hasBody) {
    init.body = inputBody(environ['tsgi.input'])
    init.duplex = 'half'
  }
  let request: Request
  try {
    request = new Request(url, init)
  } catch (error) {
    // The constructor refuses its input with a TypeError: a URL that does not parse or has credentials.
    if (error instanceof TypeError) throw new UnrepresentableRequestError(error.message, { cause: error })
    throw error
  }
  if (init.body !== undefined) withDirectReaders(request, environ['tsgi.input'])
  if ('tsgi.signal' in environ) {
    ;(request as Request & { [ENVIRON]?: Environ })[ENVIRON] = environ
    Object.defineProperty(request, 'signal', SIGNAL_PROPERTY)
  }
  return request
}

/** `request` with an own `method` of `TRACE`. */
function traced(request: Request | LazyRequest): Request {
  Object.defineProperty(request, 'method', TRACE_METHOD)
  return request as unknown as Request
}

const TRACE_METHOD: PropertyDescriptor = { get: () => 'TRACE', configurable: true, enumerable: false }

/** Where a real `Request` made here keeps its environ, for its `signal`. */
const ENVIRON = Symbol('tsgi environ')

/**
 * `request.signal` as `tsgi.signal`, through one shared getter. A getter made per request (a
 * closure over the environ) gave every request a property definition of its own, which V8
 * keeps through the scavenges: the closure, and through it the environ and the whole request,
 * were copied and promoted with it (docs/benchmarks.md, "Objects that outlive a scavenge").
 * A `WeakMap` from request to environ would do the same: a scavenge keeps its values.
 */
const SIGNAL_PROPERTY: PropertyDescriptor = {
  get(this: { [ENVIRON]?: Environ }): AbortSignal | undefined {
    return this[ENVIRON]?.['tsgi.signal']
  },
  configurable: true,
  enumerable: false,
}

/** Whether this runtime takes a {@link LazyRequest} wherever it takes a `Request`. */
function acceptsLazyRequest(): boolean {
  try {
    const lazy = new LazyRequest({} as Environ, 'GET', 'http://tsgi.invalid/', false)
    return new Request(lazy as unknown as Request).url === 'http://tsgi.invalid/'
  } catch {
    return false
  }
}

let acceptsLazy: boolean | undefined

/**
 * {@link acceptsLazyRequest}, asked on the first request rather than at import: it loads the
 * runtime's fetch, which an app served through the Node bridge never needs.
 */
function lazyRequests(): boolean {
  acceptsLazy ??= acceptsLazyRequest()
  return acceptsLazy
}
