import type { IncomingMessage, ServerResponse } from 'node:http'
import { type App, createStderrStream, type ErrorStream } from '@tsgi/core'
import { checkOptions, requireArgument } from './check-arguments.ts'
import { environFromRequest } from './node-bridge/environ-from-request.ts'
import { respond } from './node-bridge/gateway-response.ts'

/** Options of {@link toNodeHandler}. */
export interface ToNodeHandlerOptions {
  /** Where `tsgi.errors` goes (app errors, bridge errors); standard error by default. */
  errors?: ErrorStream
}

/**
 * Hosts a gateway app on node:http: the returned `(req, res)` listener goes to
 * `http.createServer`, Express/Connect, or supertest. Each request becomes an environ (see
 * `environFromRequest`: `RAW_URI` is `req.url`, the body streams from `req` with backpressure,
 * `tsgi.signal` follows the client, `tsgi.early_hints` sends a real 103), and the app's answer is
 * streamed back chunk by chunk, waiting for `'drain'`.
 *
 * @example
 * ```ts
 * import { createServer } from 'node:http'
 * import { toNodeHandler } from '@tsgi/adapters'
 * createServer(toNodeHandler(app)).listen(8000, '127.0.0.1')
 * ```
 */
export function toNodeHandler(
  app: App,
  options: ToNodeHandlerOptions = {},
): (req: IncomingMessage, res: ServerResponse) => void {
  requireArgument(
    typeof app === 'function',
    app,
    'toNodeHandler() expects a gateway app (environ, startResponse) => body',
  )
  checkOptions(options, ['errors'], 'toNodeHandler()')
  requireArgument(
    options.errors === undefined || typeof options.errors?.write === 'function',
    options.errors,
    'toNodeHandler() option errors must be an error stream (write, writelines, flush)',
  )
  const errors = options.errors ?? createStderrStream()
  return (req, res) => {
    const environ = environFromRequest(req, res, errors)
    respond(app, environ, res, errors).catch((error: unknown) => {
      // Only a broken close() lands here; the response itself is already settled.
      errors.write(`@tsgi/adapters toNodeHandler: ${String(error)}\n`)
    })
  }
}
