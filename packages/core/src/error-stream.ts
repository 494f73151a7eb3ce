import type { ErrorStream } from './types.ts'

/** An `ErrorStream` that keeps what was written, for tests and for `createEnviron`. */
export interface ErrorBuffer extends ErrorStream {
  /** Everything written so far. */
  text(): string
}

/**
 * An in-memory `tsgi.errors` stream, like the `StringIO` wsgiref's testing defaults use.
 *
 * @example
 * const errors = createErrorBuffer()
 * await inject(validate(app, { onViolation: 'report' }), { url: '/', environ: { 'tsgi.errors': errors } })
 * errors.text() // the violations, one per line
 */
export function createErrorBuffer(): ErrorBuffer {
  const parts: string[] = []
  return {
    write: (text) => {
      parts.push(text)
    },
    writelines: (lines) => {
      for (const line of lines) parts.push(line)
    },
    flush: () => {},
    text: () => parts.join(''),
  }
}

/** A `tsgi.errors` stream that writes to the process's standard error. */
export function createStderrStream(): ErrorStream {
  return {
    write: writeStderr,
    writelines: (lines) => {
      for (const line of lines) writeStderr(line)
    },
    flush: () => {},
  }
}

/** Writes to standard error where there is one (Node, Deno, Bun), else to `console.error`. */
export function writeStderr(text: string): void {
  const stderr = (globalThis as { process?: { stderr?: { write(text: string): unknown } } }).process?.stderr
  if (stderr) stderr.write(text)
  else console.error(text.replace(/\n$/, ''))
}
