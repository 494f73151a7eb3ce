import type { App, Body, Environ, StartResponse } from '@tsgi/core'
import { checkOptions, requireArgument } from './check-arguments.ts'
import { requestFromEnviron } from './fetch-bridge/environ-to-request.ts'
import { hasRequestBody } from './fetch-bridge/input-body.ts'
import { type AdjustHeaders, sendResponse } from './fetch-bridge/response-to-gateway.ts'
import { ForbiddenMethodError, UnrepresentableRequestError } from './fetch-bridge/unrepresentable-request.ts'
import { UploadProgress } from './fetch-bridge/upload-progress.ts'
import { isThenable } from './thenable.ts'

/** A fetch handler: the shape of `Deno.serve`, Bun, workers and `app.fetch` of Hono. */
export type FetchHandler = (request: Request) => Response | Promise<Response>

/** Options of {@link fromFetch}. None yet; the object is reserved so adding one is not breaking. */
export type FromFetchOptions = Record<string, never>

/**
 * Wraps a fetch handler as a gateway app. Each call passes a `Request` of the runtime
 * (globals are never patched: `instanceof Request` keeps working everywhere; on Node 20 a
 * lazy one, see `requestFromEnviron`), with a body from `tsgi.input` and the `signal` of
 * `tsgi.signal`, and
 * turns the returned `Response` into `startResponse` plus a streaming body, with every
 * `Set-Cookie` kept separately.
 *
 * @example
 * ```ts
 * import { fromFetch } from '@tsgi/adapters'
 * export default fromFetch((request) => Response.json({ url: request.url }))
 * ```
 */
export function fromFetch(handler: FetchHandler, options: FromFetchOptions = {}): App {
  requireArgument(
    typeof handler === 'function',
    handler,
    'fromFetch() expects a function (request) => Response',
  )
  checkOptions(options, [], 'fromFetch()')
  return fetchApp((request) => {
    const response = handler(request)
    return isThenable(response) ? Promise.resolve(response).then(checked) : checked(response)
  })
}

/**
 * The gateway app shared by {@link fromFetch} and `fromHono`: `call` gets the `Request`
 * and the call's environ and `startResponse`, and answers with a `Response` (sent here)
 * or with a gateway body it produced itself (Hono's `c.env.outgoing`).
 */
export function fetchApp(
  call: (
    request: Request,
    environ: Environ,
    startResponse: StartResponse,
  ) => Response | Body | Promise<Response | Body>,
  adjustHeaders?: AdjustHeaders,
): App {
  return async (environ: Environ, startResponse: StartResponse): Promise<Body> => {
    // The handler reads its upload through this, so the response can wait for a read in progress.
    const hasBody = hasRequestBody(environ)
    const upload = hasBody ? trackUpload(environ) : undefined
    let request: Request
    try {
      request = requestFromEnviron(environ, hasBody)
    } catch (error) {
      // Only the client's request is refused here; anything else is the adapter's own failure.
      if (!(error instanceof UnrepresentableRequestError)) throw error
      // RFC 9110 §9.1: a method the origin does not implement is 501; a request no URL can carry
      // (an unparsable Host, `OPTIONS *`, credentials) is the client's fault (RFC 9112 §3.2), 400.
      if (error instanceof ForbiddenMethodError) return plainText(startResponse, '501 Not Implemented')
      // As `@hono/node-server` answers a request it cannot make a `Request` of: an empty 400.
      startResponse('400 Bad Request', [['content-length', '0']])
      return []
    }
    const called = call(request, environ, startResponse)
    // A handler that answered synchronously (Hono's, for a synchronous route) skips a turn.
    const result = isThenable(called) ? await called : called
    return isResponse(result) ? sendResponse(result, environ, startResponse, adjustHeaders, upload) : result
  }
}

/**
 * Puts an {@link UploadProgress} over `tsgi.input` in the environ (the app's to change, as in
 * PEP 3333): everything of the bridge that reads the upload takes it from there.
 */
function trackUpload(environ: Environ): UploadProgress {
  const length = environ.CONTENT_LENGTH
  const upload = new UploadProgress(environ['tsgi.input'], length ? Number(length) : -1)
  environ['tsgi.input'] = upload
  return upload
}

function plainText(startResponse: StartResponse, status: string): Body {
  const text = new TextEncoder().encode(status.slice(4))
  startResponse(status, [
    ['content-type', 'text/plain'],
    ['content-length', String(text.byteLength)],
  ])
  return [text]
}

/** The handler's result, which must be a `Response`. */
export function checked(response: unknown): Response {
  if (!isResponse(response)) {
    throw new TypeError(`The fetch handler returned ${describe(response)}, expected a Response`)
  }
  return response
}

/** Duck-typed: a `Response` from another realm or a polyfill works too. */
export function isResponse(value: unknown): value is Response {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Response).status === 'number' &&
    typeof (value as Response).headers?.get === 'function' &&
    'body' in value
  )
}

function describe(value: unknown): string {
  if (value === null) return 'null'
  if (typeof value === 'object') return `an object (${Object.prototype.toString.call(value)})`
  return typeof value
}
