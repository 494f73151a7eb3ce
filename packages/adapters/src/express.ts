import type { App } from '@tsgi/core'
import { checkOptions, requireArgument } from './check-arguments.ts'
import { fromNodeHandler, type NodeAdapterOptions, type NodeHandler } from './node-handler.ts'

/**
 * An Express application (4 or 5), described by shape: a callable `(req, res, next?)` with
 * `handle`, `set`/`get` and the `request`/`response` prototypes Express gives each app. Never an
 * `instanceof` check, so an Express from any copy of the package is recognised.
 */
export interface ExpressLike {
  (
    req: Parameters<NodeHandler>[0],
    res: Parameters<NodeHandler>[1],
    next?: (error?: unknown) => void,
  ): unknown
  /** Present at run time on every Express app (checked by {@link isExpressApp}); `@types/express` omits it. */
  handle?: (...args: never[]) => unknown
  set: (...args: never[]) => unknown
  get: (...args: never[]) => unknown
  request: object
  response: object
}

/** Whether `x` has the shape of an Express (or Connect-with-Express-prototypes) application. */
export function isExpressApp(x: unknown): x is ExpressLike {
  if (typeof x !== 'function') return false
  const app = x as Partial<ExpressLike>
  return (
    typeof app.handle === 'function' &&
    typeof app.set === 'function' &&
    typeof app.get === 'function' &&
    typeof app.request === 'object' &&
    app.request !== null &&
    typeof app.response === 'object' &&
    app.response !== null
  )
}

/**
 * Wraps an Express 4 or 5 application as a gateway app, unchanged: it is called exactly as
 * `http.createServer(app)` calls it, on a real `IncomingMessage`/`ServerResponse` pair (see
 * `fromNodeHandler`). Express's own machinery does the rest: its prototypes are set per request by
 * Express itself and never touched here, so `req.ip`, `req.protocol`, `req.hostname` come from its
 * getters and honour `trust proxy`; the body parsers read the request stream; unmatched routes
 * and errors get Express's final handler (its own 404 and 500 pages).
 *
 * @example
 * ```ts
 * import express from 'express'
 * import { fromExpress } from '@tsgi/adapters'
 * const app = express().get('/', (req, res) => res.send('hi'))
 * export default fromExpress(app)
 * ```
 */
export function fromExpress(app: ExpressLike, options: NodeAdapterOptions = {}): App {
  requireArgument(isExpressApp(app), app, 'fromExpress() expects an Express application (express())')
  checkOptions(options, [], 'fromExpress()')
  return fromNodeHandler(app as unknown as NodeHandler, options)
}
