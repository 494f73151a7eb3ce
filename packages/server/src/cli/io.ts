/**
 * The CLI's window on the world: output streams, environment, working directory and the
 * signal source. `main` takes one, so tests run the CLI in-process and read what it wrote.
 */
import type { CliEnv } from './parse.ts'
import type { SignalSource } from './signals.ts'

/** Something text can be written to (`process.stdout`, or an array in tests). */
export interface TextSink {
  write(text: string): unknown
  /** A stream's failures (EPIPE once the reader is gone), when the sink is a stream. */
  on?(event: 'error', listener: (error: Error) => void): unknown
}

/** Everything `main` touches outside its arguments. */
export interface CliIo {
  /** The access log. */
  stdout: TextSink
  /** The startup line, lifecycle messages, app errors and usage errors. */
  stderr: TextSink
  env: CliEnv
  cwd: string
  signals: SignalSource
}

/** The real process's streams, environment, directory and signals. */
export function processIo(): CliIo {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    cwd: process.cwd(),
    signals: process,
  }
}

/** Writes `text` followed by a newline. */
export function writeLine(sink: TextSink, text: string): void {
  sink.write(`${text}\n`)
}
