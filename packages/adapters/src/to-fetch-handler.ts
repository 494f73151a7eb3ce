import type { App } from '@tsgi/core'
import { checkOptions, requireArgument } from './check-arguments.ts'
import { GatewayResponse } from './fetch-bridge/gateway-response.ts'
import { environFromFetchRequest, type FetchEnvironOptions } from './fetch-bridge/request-to-environ.ts'

/** Options of {@link toFetchHandler}. */
export type ToFetchHandlerOptions<Context = unknown> = FetchEnvironOptions<Context>

/** A fetch handler as runtimes call it; `context` is their optional second argument. */
export type GatewayFetchHandler<Context = unknown> = (
  request: Request,
  context?: Context,
) => Promise<Response>

/**
 * Runs a gateway app where a fetch handler runs (Bun, Deno, workers, `fromFetch`): the
 * `Request` becomes an environ, and the app's answer a `Response` whose status and
 * headers are known once the first non-empty chunk exists, the body ended, or the app called
 * `write()`, and whose body streams from the app chunk by chunk as the runtime reads it.
 *
 * @example
 * ```ts
 * import { toFetchHandler } from '@tsgi/adapters'
 * Deno.serve(toFetchHandler(app, { remoteAddress: (_, info: Deno.ServeHandlerInfo) => info.remoteAddr.hostname }))
 * ```
 */
export function toFetchHandler<Context = unknown>(
  app: App,
  options: ToFetchHandlerOptions<Context> = {},
): GatewayFetchHandler<Context> {
  requireArgument(
    typeof app === 'function',
    app,
    'toFetchHandler() expects a gateway app (environ, startResponse) => body',
  )
  checkOptions(options, ['remoteAddress', 'scriptName', 'errors'], 'toFetchHandler()')
  const { remoteAddress, errors } = options
  requireArgument(
    remoteAddress === undefined || typeof remoteAddress === 'string' || typeof remoteAddress === 'function',
    remoteAddress,
    'toFetchHandler() option remoteAddress must be a string or a function (request, context) => string',
  )
  requireArgument(
    errors === undefined || typeof errors?.write === 'function',
    errors,
    'toFetchHandler() option errors must be an error stream (write, writelines, flush)',
  )
  const mount = options.scriptName
  if (mount !== undefined) {
    requireArgument(
      typeof mount === 'string' && (mount === '' || mount.startsWith('/')),
      mount,
      "toFetchHandler() option scriptName must be '' or start with '/'",
    )
    // SPEC environ.script-name: never '/' alone (the root is ''), never a trailing '/'; spelled
    // as the environ spells paths, the UTF-8 bytes as latin-1 ('/café' is '/cafÃ©').
    options = { ...options, scriptName: Buffer.from(mount.replace(/\/+$/, ''), 'utf8').toString('latin1') }
  }
  return async (request, context) => {
    const environ = environFromFetchRequest(request, options, context as Context)
    const response = new GatewayResponse(request.method === 'HEAD', environ['tsgi.errors'])
    // Not awaited here: an app that streams through write() gets its Response while it runs.
    const call = (async () => app(environ, response.startResponse))()
    return response.respond(call)
  }
}
