import type { Environ } from '@tsgi/core'
import { hasRequestBody, inputBody } from './input-body.ts'
import { requestHeaders } from './request-headers.ts'
import { requestUrl } from './request-url.ts'

/** `RequestInit` as Node's fetch accepts it: a stream body needs `duplex: 'half'`. */
type StreamingRequestInit = RequestInit & { duplex?: 'half' }

/**
 * A standard `Request` (the runtime's own global class, never a patched one) for the
 * request an environ describes. URL from {@link requestUrl}; headers from `HTTP_*`;
 * body a pull-based stream over `tsgi.input` (none for GET/HEAD or an empty body).
 *
 * `request.signal` is `tsgi.signal` itself, as an own accessor of the request, so the
 * handler learns when the client goes away. Passing it as `init.signal` instead would make
 * undici follow it with a second AbortController, a WeakRef and a FinalizationRegistry
 * entry on every request (~7 µs on Node 20, a fifth of a Hono hello-world through the
 * adapter), and would force the server to build `tsgi.signal` for every request. The cost
 * of the shortcut: a copy (`request.clone()`, `new Request(request)`) has its own signal,
 * which does not follow the client.
 */
export function requestFromEnviron(environ: Environ): Request {
  const init: StreamingRequestInit = {
    method: environ.REQUEST_METHOD,
    headers: requestHeaders(environ),
  }
  if (hasRequestBody(environ)) {
    init.body = inputBody(environ['tsgi.input'])
    init.duplex = 'half'
  }
  const request = new Request(requestUrl(environ), init)
  if ('tsgi.signal' in environ)
    Object.defineProperty(request, 'signal', { get: () => environ['tsgi.signal'] })
  return request
}
