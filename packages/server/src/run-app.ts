import type { App, Body, Environ } from '@tsgi/core'
import type { ResponseSink, ResponseWriter } from './response.ts'
import { sendBody } from './send-body.ts'

/**
 * How `runApp` reports the end of one request. Exactly one of them is called, once, with
 * the `token` given to `runApp` (so one outcome object serves every request of a connection).
 */
export interface AppOutcome<T> {
  /** The response went out; `keepAlive` says whether the connection may be reused. */
  finish(token: T, keepAlive: boolean): void
  /** The app (or its body) threw or rejected. */
  fail(token: T, error: unknown): void
  /**
   * The body's `close()` threw or rejected where it could no longer change the response (after
   * it ended, or after the failure `fail` reports): only worth a log line.
   */
  closeFailed(token: T, error: unknown): void
  /** An async `close()` of the body is still running (graceful shutdown waits for it). */
  closePending(token: T, settled: Promise<void>): void
}

/**
 * Calls the app and sends its body. Stays synchronous when the app returns an array (no
 * promise on the hello-world path); awaits only a promised body or an iterator that needs it.
 */
export function runApp<T>(
  app: App,
  environ: Environ,
  writer: ResponseWriter,
  sink: ResponseSink,
  outcome: AppOutcome<T>,
  token: T,
): void {
  let result: Body | Promise<Body>
  try {
    result = app(environ, writer.startResponse)
  } catch (error) {
    outcome.fail(token, error)
    return
  }
  if (result != null && typeof (result as Promise<Body>).then === 'function') {
    ;(result as Promise<Body>).then(
      (body) => respond(body, writer, sink, outcome, token),
      (error: unknown) => outcome.fail(token, error),
    )
  } else {
    respond(result as Body, writer, sink, outcome, token)
  }
}

function respond<T>(
  body: Body,
  writer: ResponseWriter,
  sink: ResponseSink,
  outcome: AppOutcome<T>,
  token: T,
): void {
  let out: boolean | Promise<boolean>
  try {
    out = sendBody(body, writer, sink, outcome, token)
  } catch (error) {
    outcome.fail(token, error)
    return
  }
  if (typeof out === 'boolean') outcome.finish(token, out)
  else
    out.then(
      (keepAlive) => outcome.finish(token, keepAlive),
      (error: unknown) => outcome.fail(token, error),
    )
}
