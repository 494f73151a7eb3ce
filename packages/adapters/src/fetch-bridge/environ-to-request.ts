import type { Environ } from '@tsgi/core'
import { hasRequestBody, inputBody } from './input-body.ts'
import { requestHeaders } from './request-headers.ts'
import { requestUrl } from './request-url.ts'

/** `RequestInit` as Node's fetch accepts it: a stream body needs `duplex: 'half'`. */
type StreamingRequestInit = RequestInit & { duplex?: 'half' }

/**
 * A standard `Request` (the runtime's own global class, never a patched one) for the
 * request an environ describes. URL from {@link requestUrl}; headers from `HTTP_*`;
 * body a pull-based stream over `tsgi.input` (none for GET/HEAD or an empty body);
 * `signal` is `tsgi.signal`, so the handler learns when the client goes away.
 */
export function requestFromEnviron(environ: Environ): Request {
  const init: StreamingRequestInit = {
    method: environ.REQUEST_METHOD,
    headers: requestHeaders(environ),
  }
  const signal = environ['tsgi.signal']
  if (signal !== undefined) init.signal = signal
  if (hasRequestBody(environ)) {
    init.body = inputBody(environ['tsgi.input'])
    init.duplex = 'half'
  }
  return new Request(requestUrl(environ), init)
}
