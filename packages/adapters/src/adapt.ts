import type { IncomingMessage, ServerResponse } from 'node:http'
import type { App } from '@tsgi/core'
import { type AppKind, detectKind } from './detect-kind.ts'
import { fromExpress } from './express.ts'
import { fromFetch } from './fetch-handler.ts'
import { fromHono, type HonoLike } from './hono.ts'
import { fromKoa } from './koa.ts'
import { fromNodeHandler, type NodeHandler } from './node-handler.ts'
import { describeValue, NotAnAppError } from './not-an-app-error.ts'

type FetchObject = { fetch(request: Request): Response | Promise<Response> }
type NodeServer = { listeners(event: 'request'): NodeHandler[] }
type ConnectHandler = (req: IncomingMessage, res: ServerResponse, next: (error?: unknown) => void) => void

/**
 * A Connect-style `(req, res, next)` handler run alone: `next()` means nothing matched (404),
 * `next(error)` a failure (500), as Connect's and Express's final handlers answer.
 */
function withFinalHandler(handler: ConnectHandler): NodeHandler {
  return (req, res) =>
    handler(req, res, (error) => {
      if (res.headersSent) {
        if (error) res.destroy(error instanceof Error ? error : new Error(String(error)))
        else res.end()
        return
      }
      res.statusCode = error ? 500 : 404
      res.setHeader('content-type', 'text/plain; charset=utf-8')
      res.end(error ? 'Internal Server Error' : 'Not Found')
    })
}

/** Turns a recognised value into a gateway app, one entry per {@link AppKind}. */
const WRAP: Record<AppKind, (x: unknown) => App> = {
  express: (x) => fromExpress(x as Parameters<typeof fromExpress>[0]),
  koa: (x) => fromKoa(x as Parameters<typeof fromKoa>[0]),
  hono: (x) => fromHono(x as HonoLike),
  fetch: (x) => {
    if (typeof x === 'function') return fromFetch(x as (request: Request) => Response)
    const object = x as FetchObject
    return fromFetch((request) => object.fetch(request))
  },
  node: (x) => {
    if (typeof x === 'function') return fromNodeHandler(withFinalHandler(x as ConnectHandler))
    // A node:http server: its 'request' listeners are the handler (the server never listens).
    const server = x as NodeServer
    return fromNodeHandler((req, res) => {
      for (const listener of server.listeners('request')) listener(req, res)
    })
  },
  tsgi: (x) => x as App,
}

/**
 * Any supported app as a gateway app, recognised by shape (see {@link detectKind} for
 * the rules: Express, Koa, Hono, `{ fetch }` objects and fetch handlers, `node:http`
 * servers and `(req, res, next)` handlers, gateway apps). A bare `(req, res)` function
 * counts as a gateway app: wrap node handlers with `fromNodeHandler()`.
 * Throws {@link NotAnAppError} (`TSGI_NOT_AN_APP`) for anything else.
 *
 * @example
 * ```ts
 * import { adapt, detectKind } from '@tsgi/adapters'
 * const app = adapt(expressApp)
 * console.log(`(${detectKind(expressApp)} app)`) // "(express app)"
 * ```
 */
export function adapt(x: unknown): App {
  const kind = detectKind(x)
  if (kind === null) throw new NotAnAppError(describeValue(x))
  return WRAP[kind](x)
}
