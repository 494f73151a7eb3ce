import type { IncomingMessage } from 'node:http'
import type { App, Environ } from '@tsgi/core'
import { fetchApp } from './fetch-handler.ts'
import { createIncomingMessage } from './node-bridge/incoming.ts'

/** The part of a Hono app this adapter uses: `app.fetch(request, env)`. */
export interface HonoLike {
  fetch(request: Request, env?: unknown, executionCtx?: unknown): Response | Promise<Response>
}

/** Options of {@link fromHono}. None yet; the object is reserved so adding one is not breaking. */
export type FromHonoOptions = Record<string, never>

/**
 * `c.env` as `@hono/node-server` passes it: `{ incoming, outgoing }`. `incoming` is a
 * real `http.IncomingMessage` (so `getConnInfo` from `@hono/node-server/conninfo`
 * reads `incoming.socket.remoteAddress`), built only when something reads it.
 */
class NodeBindings {
  #environ: Environ
  #incoming: IncomingMessage | undefined

  constructor(environ: Environ) {
    this.#environ = environ
  }

  get incoming(): IncomingMessage {
    if (this.#incoming === undefined) this.#incoming = createIncomingMessage(this.#environ)
    return this.#incoming
  }
}

/**
 * Wraps a Hono app as a gateway app. Apps written for `@hono/node-server` run
 * unchanged: each request is a standard `Request` (globals are never replaced) passed
 * to `app.fetch(request, { incoming })`, Hono's own 404 and `onError` answer as usual,
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
export function fromHono(app: HonoLike, _options: FromHonoOptions = {}): App {
  if (typeof app?.fetch !== 'function')
    throw new TypeError('fromHono() expects a Hono app (an object with fetch())')
  return fetchApp((request, environ) => app.fetch(request, new NodeBindings(environ)))
}
