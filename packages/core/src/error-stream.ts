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
    write: (text) => {
      process.stderr.write(text)
    },
    writelines: (lines) => {
      for (const line of lines) process.stderr.write(line)
    },
    flush: () => {},
  }
}
