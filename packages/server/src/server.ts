import { createServer, type ListenOptions, type Server, type Socket } from 'node:net'
import type { App } from '@tsgi/core'
import { listenerUrl, parseBind } from './bind.ts'
import { checkServeOptions } from './check-serve-options.ts'
import { Connection } from './connection.ts'
import { ErrorLogStream } from './error-stream.ts'
import { InvalidServerHeaderError } from './errors.ts'
import { FIELD_VALUE_FORBIDDEN } from './http/syntax.ts'
import { resolveLimits } from './limits.ts'
import type { ServerContext } from './server-context.ts'
import type { ServeOptions, TsgiServer } from './server-options.ts'

/** Connection states with a request in progress. */
const BUSY: ReadonlySet<string> = new Set(['head', 'active', 'draining'])

/** A character no latin-1 field value can hold. */
const ABOVE_LATIN1 = /[\u0100-\uffff]/

export type { AccessLogEntry, ServeOptions, TsgiServer } from './server-options.ts'

/**
 * Serves `app` over HTTP/1.1 on every `bind` address; resolves once all are listening.
 * @example
 * const server = await serve(app, { bind: ['127.0.0.1:0'] })
 * console.log(server.address) // http://127.0.0.1:54321
 * await server.close()
 */
export async function serve(app: App, options: ServeOptions = {}): Promise<TsgiServer> {
  checkServeOptions(app, options)
  const limits = resolveLimits(options.limits)
  const { serverHeader } = options
  // It goes into every response head as it is (RFC 9110 §5.5: no CTL but HTAB, latin-1 only).
  if (
    typeof serverHeader === 'string' &&
    (FIELD_VALUE_FORBIDDEN.test(serverHeader) || ABOVE_LATIN1.test(serverHeader))
  )
    throw new InvalidServerHeaderError(serverHeader)
  const errorLog = options.errorLog ?? ((text: string) => process.stderr.write(text))
  const ctx: ServerContext = {
    app,
    limits,
    serverHeader: serverHeader === false ? null : (serverHeader ?? 'tsgi'),
    urlScheme: options.urlScheme ?? 'http',
    multiprocess: options.multiprocess ?? false,
    errorLog,
    accessLog: options.accessLog || null,
    errors: new ErrorLogStream(errorLog),
    closing: false,
    pendingCloses: new Set(),
  }
  const connections = new Set<Connection>()
  const onSocket = (socket: Socket): void => {
    const max = limits.maxConnections
    // Over the cap: close at once, unread. The client sees a reset and may retry elsewhere;
    // answering 503 would mean reading the request, which is the resource being protected.
    if (ctx.closing || (max !== null && connections.size >= max)) {
      socket.destroy()
      return
    }
    connections.add(new Connection(socket, ctx, (c) => connections.delete(c)))
  }
  const binds = (options.bind ?? ['127.0.0.1:8000']).map(parseBind)
  const listeners: Server[] = []
  try {
    for (const [i, bind] of binds.entries()) {
      const server = i === 0 && options.server ? options.server : createServer({ allowHalfOpen: true })
      server.on('connection', onSocket)
      listeners.push(server)
      if (!server.listening) await listen(server, bind)
      // Accept errors (EMFILE when out of file descriptors) are logged; the server keeps running.
      server.on('error', (error) => errorLog(`tsgi: listener error\n${error.stack}\n`))
    }
  } catch (error) {
    // One address failed (EADDRINUSE...): release the ones already bound.
    await Promise.all(listeners.map((s) => new Promise((resolve) => s.close(resolve))))
    throw error
  }
  const sweep = startSweep(connections, limits)
  const addresses = listeners.map((s) => listenerUrl(s, ctx.urlScheme))
  let closed: Promise<void> | null = null
  return {
    address: addresses[0] ?? '',
    addresses,
    close(): Promise<void> {
      closed ??= shutdown(ctx, listeners, connections, sweep)
      return closed
    },
  }
}

function listen(server: Server, bind: ListenOptions): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(bind, () => {
      server.off('error', reject)
      resolve()
    })
  })
}

/** One interval for every connection's timeouts: no timer per request on the hot path. */
function startSweep(connections: Set<Connection>, limits: ServerContext['limits']): NodeJS.Timeout {
  const timeouts = [
    limits.headersTimeoutMs,
    limits.keepAliveTimeoutMs,
    limits.bodyReadTimeoutMs,
    limits.sendTimeoutMs,
  ].filter((t): t is number => t !== null)
  // Check four times per shortest timeout, at most every second: a timeout fires at most
  // two periods late (see Connection#setDeadline).
  const every = Math.min(1000, Math.max(10, Math.floor(Math.min(...timeouts, 4000) / 4)))
  const timer = setInterval(() => {
    const now = Date.now()
    for (const connection of connections) connection.checkTimeout(now)
  }, every)
  timer.unref()
  return timer
}

async function shutdown(
  ctx: ServerContext,
  listeners: Server[],
  connections: Set<Connection>,
  sweep: NodeJS.Timeout,
): Promise<void> {
  ctx.closing = true
  const stopped = Promise.all(listeners.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))))
  for (const connection of connections) connection.shutdown()
  const grace = ctx.limits.gracefulTimeoutMs
  const deadline = grace === null ? Number.POSITIVE_INFINITY : Date.now() + grace
  // In-flight requests finish, and so do the bodies' async close() calls (a file handle the
  // app closes there), within the same graceful timeout.
  while ((connections.size > 0 || ctx.pendingCloses.size > 0) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 10))
    for (const connection of connections) connection.shutdown()
  }

  // Say so: the cut requests get no access-log line of their own if their app never ends.
  // Idle and closing connections are only closed early; they were serving nobody.
  let busy = 0
  for (const connection of connections) if (BUSY.has(connection.state)) busy++
  if (busy > 0) {
    ctx.errorLog(`tsgi: graceful timeout (${grace} ms) expired: cutting ${busy} connection(s) still busy\n`)
  }
  for (const connection of connections) connection.destroy()
  await stopped
  clearInterval(sweep)
}
