import type { Body } from '@tsgi/core'
import { AppResponseError } from './errors.ts'
import type { ResponseSink, ResponseWriter } from './response.ts'

/**
 * Sends an app's body through `writer`, then closes it. Returns whether the connection may be
 * reused: synchronously for an array (the common in-memory case, no promise at all), else as a
 * promise. Chunks go out one at a time, each waiting for the socket to drain, so memory stays
 * flat for any body size. On early exit (error, client gone) the iterator's `return()` runs.
 */
export function sendBody(body: Body, writer: ResponseWriter, sink: ResponseSink): boolean | Promise<boolean> {
  if (Array.isArray(body)) {
    let sent: boolean
    try {
      sent = writer.all(body as Uint8Array[])
    } catch (error) {
      closeBody(body)?.catch(() => {})
      throw error
    }
    if (!sent && !sink.closed) {
      // close() tells the app the server is done with its body: once the bytes left for the
      // client, not while they wait in memory for a slow reader. The response is ended first,
      // so nothing written meanwhile can reach the client.
      const keepAlive = writer.end()
      return sink.drained().then(() => {
        const closed = closeBody(body)
        return closed === undefined ? keepAlive : closed.then(() => keepAlive)
      })
    }
    const closed = closeBody(body)
    if (closed !== undefined) return closed.then(() => writer.end())
    return writer.end()
  }
  return pump(body, writer, sink)
}

async function pump(body: Body, writer: ResponseWriter, sink: ResponseSink): Promise<boolean> {
  if (
    body === null ||
    typeof body !== 'object' ||
    !(Symbol.iterator in body || Symbol.asyncIterator in body)
  ) {
    throw new AppResponseError(`the app must return an iterable of Uint8Array, got ${typeof body}`)
  }
  const syncIterable = typeof (body as Iterable<Uint8Array>)[Symbol.iterator] === 'function'
  const it = syncIterable
    ? (body as Iterable<Uint8Array>)[Symbol.iterator]()
    : (body as AsyncIterable<Uint8Array>)[Symbol.asyncIterator]()
  let finished = false
  try {
    while (!sink.closed) {
      const step = syncIterable ? (it as Iterator<Uint8Array>).next() : await it.next()
      if (step.done) {
        finished = true
        break
      }
      if (!writer.chunk(step.value)) await sink.drained()
    }
  } finally {
    if (!finished) await it.return?.()
    await closeBody(body)
  }
  return sink.closed ? false : writer.end()
}

/** Calls `body.close()` once; its rejection propagates like any app error. */
function closeBody(body: Body): Promise<void> | undefined {
  if (typeof body.close !== 'function') return undefined
  const out = body.close()
  return out instanceof Promise ? out : undefined
}
