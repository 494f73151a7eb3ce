import type { Body } from '@tsgi/core'
import { AppResponseError } from './errors.ts'
import type { ResponseSink, ResponseWriter } from './response.ts'

/**
 * Hears a `close()` of the body that threw or rejected where it could no longer fail the
 * response; `token` tells which request (one listener serves every request of a connection).
 */
export interface CloseListener<T> {
  closeFailed(token: T, error: unknown): void
  /** An async `close()` is running; `settled` resolves when it is done (it never rejects). */
  closePending(token: T, settled: Promise<void>): void
}

/**
 * Sends an app's body through `writer`, then closes it. Returns whether the connection may be
 * reused: synchronously for an array (the common in-memory case, no promise at all), else as a
 * promise. Chunks go out one at a time, each waiting for the socket to drain, so memory stays
 * flat for any body size. On early exit (error, client gone, a HEAD head sent) the iterator's
 * `return()` runs.
 *
 * `close()` runs once in every case, after the response ended (SPEC `body.close-called`), and
 * is not awaited: a slow or hanging `close()` never holds back the end of the response or the
 * next request on the connection. Its failure goes to the listener; it never replaces the
 * error the body failed with.
 */
export function sendBody<T>(
  body: Body,
  writer: ResponseWriter,
  sink: ResponseSink,
  listener: CloseListener<T>,
  token: T,
): boolean | Promise<boolean> {
  if (!Array.isArray(body)) return pump(body, writer, sink, listener, token)
  let sent: boolean
  try {
    sent = writer.all(body as Uint8Array[])
  } catch (error) {
    closeBody(body, listener, token)
    throw error
  }
  const keepAlive = writer.end()
  if (!sent && !sink.closed) {
    // close() tells the app the server is done with its body: once the bytes left for the
    // client, not while they wait in memory for a slow reader. The response is ended first,
    // so nothing written meanwhile can reach the client.
    return sink.drained().then(() => {
      closeBody(body, listener, token)
      return keepAlive
    })
  }
  closeBody(body, listener, token)
  return keepAlive
}

const GONE: unique symbol = Symbol('gone')
const NONE = Symbol('none')

async function pump<T>(
  body: Body,
  writer: ResponseWriter,
  sink: ResponseSink,
  listener: CloseListener<T>,
  token: T,
): Promise<boolean> {
  const closeFailed = (error: unknown) => listener.closeFailed(token, error)
  let keepAlive = false
  try {
    if (
      body === null ||
      typeof body !== 'object' ||
      !(Symbol.iterator in body || Symbol.asyncIterator in body)
    ) {
      throw new AppResponseError(`the app must return an iterable of Uint8Array, got ${describe(body)}`)
    }
    const syncIterable = typeof (body as Iterable<Uint8Array>)[Symbol.iterator] === 'function'
    const it = syncIterable
      ? (body as Iterable<Uint8Array>)[Symbol.iterator]()
      : (body as AsyncIterable<Uint8Array>)[Symbol.asyncIterator]()
    let finished = false
    let stranded = false
    let failure: unknown = NONE
    // One listener for the whole body: the client leaving ends the wait for the current step.
    let leave: (() => void) | null = null
    const stopListening = syncIterable ? null : sink.onGone(() => leave?.())
    try {
      // HEAD, 204 and 304 carry no body: once their head is out (with a chunk, or flushed by an
      // empty write()), the rest is never sent, so the body is not run to its end: an endless
      // stream would hold the connection.
      while (!sink.closed && !(writer.bodiless && writer.headersSent)) {
        const step = syncIterable
          ? (it as Iterator<Uint8Array>).next()
          : await new Promise<IteratorResult<Uint8Array> | typeof GONE>((resolve, reject) => {
              const next = Promise.resolve((it as AsyncIterator<Uint8Array>).next())
              leave = () => {
                next.catch(() => {})
                resolve(GONE)
              }
              next.then(resolve, reject)
            })
        leave = null
        if (step === GONE) {
          // The client left while the body waited (an idle SSE stream): its pending step keeps
          // return() waiting, so close() must not wait for either.
          stranded = true
          break
        }
        if (step.done) {
          finished = true
          break
        }
        if (!writer.chunk(step.value)) await sink.drained()
      }
    } catch (error) {
      failure = error
    }
    stopListening?.()
    if (!finished) {
      if (stranded) {
        try {
          Promise.resolve(it.return?.()).catch(closeFailed)
        } catch (error) {
          closeFailed(error)
        }
      } else {
        try {
          await it.return?.()
        } catch (error) {
          // A generator's `finally` that throws must not hide why the body stopped.
          if (failure === NONE) failure = error
          else closeFailed(error)
        }
      }
    }
    if (failure !== NONE) throw failure
    keepAlive = sink.closed ? false : writer.end()
  } catch (error) {
    closeBody(body, listener, token)
    throw error
  }
  closeBody(body, listener, token)
  return keepAlive
}

/** Calls `body.close()`, when there is one, and hands a throw or rejection to the listener. */
function closeBody<T>(body: unknown, listener: CloseListener<T>, token: T): void {
  const close = (body as { close?: unknown } | null)?.close
  if (typeof close !== 'function') return
  let out: unknown
  try {
    out = close.call(body)
  } catch (error) {
    listener.closeFailed(token, error)
    return
  }
  if (typeof (out as PromiseLike<unknown> | undefined)?.then === 'function') {
    const settled = Promise.resolve(out).then(
      () => {},
      (error: unknown) => listener.closeFailed(token, error),
    )
    listener.closePending(token, settled)
  }
}

function describe(value: unknown): string {
  return value === null ? 'null' : typeof value
}
