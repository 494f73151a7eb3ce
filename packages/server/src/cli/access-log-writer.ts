/**
 * Where access-log lines go: stdout, until stdout breaks. With `tsgi serve app.ts | head -1`
 * the reader goes away, and every later write fails with EPIPE, emitted as an 'error' event
 * nobody listens to: an uncaught exception, and a stack trace on stderr, per request. The
 * first failure turns the access log off instead, with one line on stderr; serving goes on.
 */
import { type TextSink, writeLine } from './io.ts'

/**
 * A function that writes one access-log line to `stdout`, and stops for good, saying so once
 * on `stderr`, when `stdout` fails.
 *
 * @example
 * const log = accessLogWriter(process.stdout, process.stderr)
 * log('127.0.0.1 - - [...] "GET / HTTP/1.1" 200 2 0.101ms')
 */
export function accessLogWriter(stdout: TextSink, stderr: TextSink): (line: string) => void {
  let open = true
  const fail = (error: unknown): void => {
    if (!open) return
    open = false
    const code = (error as { code?: unknown } | null)?.code
    writeLine(
      stderr,
      `tsgi: cannot write to stdout (${typeof code === 'string' ? code : error}): access log off`,
    )
  }
  stdout.on?.('error', fail)
  return (line) => {
    if (!open) return
    try {
      writeLine(stdout, line)
    } catch (error) {
      fail(error)
    }
  }
}
