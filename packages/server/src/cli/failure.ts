/**
 * Turns an error from loading or starting an app into what the user sees: one line and an
 * exit code. Mistakes the user can fix by changing the command (a missing file, a missing
 * export, something that is not an app) exit 2, like a bad flag; everything else exits 1.
 */

/** Error codes that mean "the command named the wrong thing": exit 2. */
const USAGE_CODES = new Set([
  'TSGI_CLI_USAGE',
  'TSGI_APP_MODULE_NOT_FOUND',
  'TSGI_APP_EXPORT_NOT_FOUND',
  'TSGI_APP_MODULE_TYPE',
  'TSGI_NOT_AN_APP',
  'TSGI_INVALID_LIMIT',
])

/**
 * Listen errors worth one plain line instead of a stack trace. `ENOTSOCK` and `ENOENT` also
 * come from the unix-socket checks before listening (`unix-socket.ts`), since `listen()` itself
 * says "address in use" for a regular file and "permission denied" for a missing directory.
 */
const LISTEN_CODES: Record<string, string> = {
  EADDRINUSE: 'address already in use',
  EACCES: 'permission denied',
  EADDRNOTAVAIL: 'address not available on this machine',
  ENOTFOUND: 'unknown host',
  EAI_AGAIN: 'cannot look the host up now (DNS unavailable?)',
  ENOTSOCK: 'the path exists and is not a socket',
  ENOENT: 'its directory does not exist',
}

/**
 * Errors that came from listening. An app's own ENOENT or EACCES while it loads (a missing
 * config file) has the same code as a listen failure and must keep its stack, so the code
 * alone cannot say which it is.
 */
const listenErrors = new WeakSet<object>()

/**
 * Marks `error` as a failure to listen (from `serve()` or the checks before it) and returns it.
 *
 * @example
 * await serve(app, options).catch((error) => { throw listenFailure(error) })
 */
export function listenFailure(error: unknown): unknown {
  if (typeof error === 'object' && error !== null) listenErrors.add(error)
  return error
}

/** What a listen error was about: `127.0.0.1:8000`, `[::1]:8000`, `unix:/run/app.sock`, a host name. */
function listenTarget(error: {
  address?: unknown
  port?: unknown
  hostname?: unknown
  path?: unknown
}): string {
  const { address, port, hostname, path } = error
  // A stale socket that could not be removed: the file system error names the path.
  if (typeof address !== 'string' && typeof path === 'string') return `unix:${path}`
  // A host name lookup failed (getaddrinfo): the error names the host, not an address.
  if (typeof address !== 'string') return typeof hostname === 'string' ? hostname : ''
  // Node reports a unix socket's path as the address, with port -1.
  if (typeof port !== 'number' || port < 0) return `unix:${address}`
  return address.includes(':') ? `[${address}]:${port}` : `${address}:${port}`
}

/** One failure, ready to print. */
export interface Failure {
  /** Printed after `tsgi: `; one line unless it is a stack trace. */
  message: string
  exitCode: 1 | 2
}

/** Classifies `error` by its `code`, never by its message. */
export function describeFailure(error: unknown): Failure {
  const {
    code,
    message,
    stack,
    exitCode: reported,
  } = (error ?? {}) as {
    code?: unknown
    message?: string
    stack?: string
    exitCode?: unknown
  }
  if (typeof code === 'string' && USAGE_CODES.has(code)) return { message: String(message), exitCode: 2 }
  // A worker already classified its failure (supervisor.ts WorkerStartError): keep its verdict.
  if (code === 'TSGI_WORKER_START_FAILED' && (reported === 1 || reported === 2)) {
    return { message: String(message), exitCode: reported }
  }
  if (typeof code === 'string' && code in LISTEN_CODES && listenErrors.has(error as object)) {
    const target = listenTarget(error as object)
    return { message: `cannot listen on${target ? ` ${target}` : ''}: ${LISTEN_CODES[code]}`, exitCode: 1 }
  }
  return { message: stack ?? String(error), exitCode: 1 }
}
