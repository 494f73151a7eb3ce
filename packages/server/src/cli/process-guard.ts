/**
 * Keeps a serving process alive through the app's own mistakes. Node ends the process on an
 * unhandled rejection or an uncaught exception; one forgotten `.catch()` in one route would
 * then drop every connection of every client. DESIGN.md: "the process survives anything an
 * app or a client does". The CLI and each worker log the error with its stack and keep serving.
 */

/** Where the two events come from: `process`, or an `EventEmitter` in tests. */
export interface FatalEventSource {
  on(event: 'unhandledRejection' | 'uncaughtException', listener: (error: unknown) => void): unknown
  off(event: 'unhandledRejection' | 'uncaughtException', listener: (error: unknown) => void): unknown
}

function describe(error: unknown): string {
  return error instanceof Error ? (error.stack ?? String(error)) : String(error)
}

/**
 * Logs unhandled rejections and uncaught exceptions to `log` (with their stack) instead of
 * letting them end the process; returns a function that removes both handlers.
 *
 * @example
 * guardProcess(process, (text) => process.stderr.write(text))
 */
export function guardProcess(source: FatalEventSource, log: (text: string) => void): () => void {
  const onRejection = (reason: unknown): void =>
    log(`tsgi: unhandled promise rejection (still serving)\n${describe(reason)}\n`)
  const onException = (error: unknown): void =>
    log(`tsgi: uncaught exception (still serving)\n${describe(error)}\n`)
  source.on('unhandledRejection', onRejection)
  source.on('uncaughtException', onException)
  return () => {
    source.off('unhandledRejection', onRejection)
    source.off('uncaughtException', onException)
  }
}
