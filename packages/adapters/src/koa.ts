import type { App } from '@tsgi/core'
import { checkOptions, requireArgument } from './check-arguments.ts'
import { fromNodeHandler, type NodeAdapterOptions, type NodeHandler } from './node-handler.ts'

/** A Koa application (2 or 3), described by shape: `callback()`, `use()` and its `context` prototype. */
export interface KoaLike {
  callback(): NodeHandler | ((req: never, res: never) => unknown)
  use: (...args: never[]) => unknown
  context: object
}

/** Whether `x` has the shape of a Koa application (never an `instanceof` check). */
export function isKoaApp(x: unknown): x is KoaLike {
  if (typeof x !== 'object' || x === null) return false
  const app = x as Partial<KoaLike>
  return (
    typeof app.callback === 'function' &&
    typeof app.use === 'function' &&
    typeof app.context === 'object' &&
    app.context !== null
  )
}

/**
 * Wraps a Koa 2 or 3 application as a gateway app, unchanged, through its own `app.callback()`
 * (what `app.listen()` hands to node:http), on a real `IncomingMessage`/`ServerResponse` pair (see
 * `fromNodeHandler`). `ctx.ip`, `ctx.protocol` and `app.proxy` work from the socket and headers;
 * `ctx.throw` and uncaught errors get Koa's own error response and `'error'` event.
 *
 * `callback()` is called on the first request, not here, so middleware added after wrapping (but
 * before serving) is included, as with `app.listen()`.
 *
 * @example
 * ```ts
 * import Koa from 'koa'
 * import { fromKoa } from '@tsgi/adapters'
 * const app = new Koa().use((ctx) => { ctx.body = 'hi' })
 * export default fromKoa(app)
 * ```
 */
export function fromKoa(app: KoaLike, options: NodeAdapterOptions = {}): App {
  requireArgument(isKoaApp(app), app, 'fromKoa() expects a Koa application (new Koa())')
  checkOptions(options, [], 'fromKoa()')
  let handler: NodeHandler | undefined
  return fromNodeHandler((req, res) => {
    handler ??= app.callback() as NodeHandler
    return handler(req, res)
  }, options)
}
