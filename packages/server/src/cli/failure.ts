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

/** Listen errors worth one plain line instead of a stack trace. */
const LISTEN_CODES: Record<string, string> = {
  EADDRINUSE: 'address already in use',
  EACCES: 'permission denied',
  EADDRNOTAVAIL: 'address not available on this machine',
  ENOTFOUND: 'unknown host',
}

/** One failure, ready to print. */
export interface Failure {
  /** Printed after `tsgi: `; one line unless it is a stack trace. */
  message: string
  exitCode: 1 | 2
}

/** Classifies `error` by its `code`, never by its message. */
export function describeFailure(error: unknown): Failure {
  const { code, message, stack } = (error ?? {}) as { code?: unknown; message?: string; stack?: string }
  if (typeof code === 'string' && USAGE_CODES.has(code)) return { message: String(message), exitCode: 2 }
  // A worker already classified its failure (supervisor.ts WorkerStartError): keep its verdict.
  const reported = (error as { exitCode?: unknown }).exitCode
  if (code === 'TSGI_WORKER_START_FAILED' && (reported === 1 || reported === 2)) {
    return { message: String(message), exitCode: reported }
  }
  if (typeof code === 'string' && code in LISTEN_CODES) {
    const where = (error as { address?: string; port?: number }).address
    const port = (error as { port?: number }).port
    const target = where ? ` ${where}${port !== undefined ? `:${port}` : ''}` : ''
    return { message: `cannot listen on${target}: ${LISTEN_CODES[code]}`, exitCode: 1 }
  }
  return { message: stack ?? String(error), exitCode: 1 }
}
