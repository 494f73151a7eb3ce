import type { App, Body, Environ } from '@tsgi/core'
import type { ResponseSink, ResponseWriter } from './response.ts'
import { sendBody } from './send-body.ts'

/** How `runApp` reports the end of one request. Exactly one of them is called, once. */
export interface AppOutcome {
  /** The response went out; `keepAlive` says whether the connection may be reused. */
  finish(keepAlive: boolean): void
  /** The app (or its body) threw or rejected. */
  fail(error: unknown): void
}

/**
 * Calls the app and sends its body. Stays synchronous when the app returns an array (no
 * promise on the hello-world path); awaits only a promised body or an iterator that needs it.
 */
export function runApp(
  app: App,
  environ: Environ,
  writer: ResponseWriter,
  sink: ResponseSink,
  outcome: AppOutcome,
): void {
  let result: Body | Promise<Body>
  try {
    result = app(environ, writer.startResponse)
  } catch (error) {
    outcome.fail(error)
    return
  }
  if (result !== null && typeof (result as Promise<Body>).then === 'function') {
    ;(result as Promise<Body>).then(
      (body) => respond(body, writer, sink, outcome),
      (error: unknown) => outcome.fail(error),
    )
  } else {
    respond(result as Body, writer, sink, outcome)
  }
}

function respond(body: Body, writer: ResponseWriter, sink: ResponseSink, outcome: AppOutcome): void {
  let out: boolean | Promise<boolean>
  try {
    out = sendBody(body, writer, sink)
  } catch (error) {
    outcome.fail(error)
    return
  }
  if (typeof out === 'boolean') outcome.finish(out)
  else
    out.then(
      (keepAlive) => outcome.finish(keepAlive),
      (error: unknown) => outcome.fail(error),
    )
}
