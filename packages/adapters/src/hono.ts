import type { App, Body } from '@tsgi/core'
import { checkOptions, requireArgument } from './check-arguments.ts'
import { HonoBindings } from './fetch-bridge/hono-bindings.ts'
import { honoContentType } from './fetch-bridge/hono-content-type.ts'
import { checked, fetchApp, isResponse } from './fetch-handler.ts'
import { isThenable } from './thenable.ts'

/** The part of a Hono app this adapter uses: `app.fetch(request, env)`. */
export interface HonoLike {
  fetch(request: Request, env?: unknown, executionCtx?: unknown): Response | Promise<Response>
}

/** Options of {@link fromHono}. None yet; the object is reserved so adding one is not breaking. */
export type FromHonoOptions = Record<string, never>

/**
 * Wraps a Hono app as a gateway app. Apps written for `@hono/node-server` run
 * unchanged: each request is a `Request` of the runtime (lazy on Node 20, globals never
 * replaced) passed to `app.fetch(request, { incoming, outgoing })` (built lazily, see
 * `HonoBindings`), Hono's
 * own 404 and `onError` answer as usual, `RESPONSE_ALREADY_SENT` works as on `@hono/node-server`,
 * `c.req.raw.signal` aborts when the client leaves, and streamed responses (`streamSSE`)
 * go out chunk by chunk.
 *
 * @example
 * ```ts
 * import { Hono } from 'hono'
 * import { fromHono } from '@tsgi/adapters'
 * const app = new Hono().get('/', (c) => c.text('hi'))
 * export default fromHono(app)
 * ```
 */
export function fromHono(app: HonoLike, options: FromHonoOptions = {}): App {
  requireArgument(
    typeof app?.fetch === 'function',
    app,
    'fromHono() expects a Hono app (an object with fetch())',
  )
  checkOptions(options, [], 'fromHono()')
  return fetchApp((request, environ, startResponse) => {
    const bindings = new HonoBindings(environ, startResponse)
    let result: Response | Promise<Response>
    try {
      result = app.fetch(request, bindings)
    } catch (error) {
      result = Promise.reject(error)
    }
    // Hono answers a synchronous handler synchronously: nothing to wait for or race.
    if (!bindings.usesOutgoing && !isThenable(result)) return checked(result)
    return answer(result, bindings)
  }, honoContentType)
}

/** A handler's answer that is still to come, or that goes through `c.env.outgoing`. */
async function answer(
  result: Response | Promise<Response>,
  bindings: HonoBindings,
): Promise<Response | Body> {
  const fetched = (async () => checked(await result))()
  // An app writing to `c.env.outgoing` itself streams from its first write, as on
  // @hono/node-server: its handler may go on writing (or await 'drain') long after that.
  const first = await Promise.race([
    fetched.catch((error: unknown) => ({ failed: error })),
    bindings.headWritten.then((body) => ({ body })),
  ])
  if ('failed' in first) {
    // A handler that failed once `outgoing` was in use (its onError rethrowing) is answered
    // through it, as @hono/node-server's handleFetchError does; otherwise the server's 500.
    const body = bindings.nodeFailure(first.failed)
    if (body === undefined) throw first.failed
    return body
  }
  if (!isResponse(first)) {
    bindings.finish(fetched)
    return first.body
  }
  return bindings.nodeBody(first) ?? first
}
