/**
 * Load, adapt, optionally validate, and serve: what one process does for `tsgi serve`,
 * whether it is the only process or one worker of a supervisor.
 */
import { validate } from '@tsgi/core'
import { ACCESS_LOG_FORMATTERS } from '../access-log.ts'
import { loadApp } from '../load-app.ts'
import { type ServeOptions, serve, type TsgiServer } from '../server.ts'
import { accessLogWriter } from './access-log-writer.ts'
import { listenFailure } from './failure.ts'
import type { CliIo } from './io.ts'
import type { ServeConfig } from './parse.ts'

/** A serving process: the server and the kind of app it hosts. */
export interface StartedApp {
  server: TsgiServer
  kind: string
}

/**
 * A `(req, res)` handler looks exactly like a gateway app `(environ, startResponse)` (see
 * `detectKind`), so it is served as one, and every request fails on a node method the
 * environ does not have: `TypeError: res.end is not a function`.
 */
const NODE_HANDLER_SYMPTOM =
  /TypeError: [\w$.]+\.(?:end|writeHead|setHeader|getHeader|write|on|once|pipe) is not a function/
const NODE_HANDLER_HINT =
  'tsgi: hint: a (req, res) handler cannot be told from a gateway app (environ, startResponse); ' +
  "export fromNodeHandler(handler) from '@tsgi/adapters' instead\n"

/** The `serve()` options a {@link ServeConfig} stands for, with logs going to `io`. */
export function serveOptions(
  config: ServeConfig,
  io: CliIo,
  multiprocess: boolean,
  kind?: string,
): ServeOptions {
  const format = config.accessLog === false ? undefined : ACCESS_LOG_FORMATTERS[config.accessLog]
  let hinted = kind !== 'tsgi'
  const options: ServeOptions = {
    bind: config.binds,
    limits: config.limits,
    multiprocess,
    errorLog: (text) => {
      io.stderr.write(text.endsWith('\n') ? text : `${text}\n`)
      // Once, and only on the error path: nothing is added to a request.
      if (!hinted && NODE_HANDLER_SYMPTOM.test(text)) {
        hinted = true
        io.stderr.write(NODE_HANDLER_HINT)
      }
    },
  }
  if (format) {
    const write = accessLogWriter(io.stdout, io.stderr)
    options.accessLog = (entry) => write(format(entry))
  }
  if (config.serverHeader !== undefined) options.serverHeader = config.serverHeader
  return options
}

/** Loads `config.target` and serves it; resolves once every address is listening. */
export async function startApp(config: ServeConfig, io: CliIo, multiprocess: boolean): Promise<StartedApp> {
  const { app, kind } = await loadApp(config.target, config.cwd)
  const server = await serve(
    config.validate ? validate(app) : app,
    serveOptions(config, io, multiprocess, kind),
  ).catch((error: unknown) => {
    throw listenFailure(error)
  })
  return { server, kind }
}

/** `tsgi listening on http://127.0.0.1:8000 (express app, 2 workers)` */
export function startupLine(addresses: string[], kind: string, workers: number): string {
  return `tsgi listening on ${addresses.join(', ')} (${kind} app, ${workers} worker${workers === 1 ? '' : 's'})`
}
