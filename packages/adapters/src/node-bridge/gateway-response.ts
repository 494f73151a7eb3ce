import type { ServerResponse } from 'node:http'
import {
  type App,
  type Body,
  CONNECTION_DESTROYED,
  type Environ,
  type ErrorStream,
  type HeaderList,
  type StartResponse,
  type Write,
} from '@tsgi/core'
import { clientSignalOf } from './environ-from-request.ts'

const INTERNAL_ERROR = Buffer.from('Internal Server Error')

/**
 * Calls a gateway app for one node:http request and writes its answer to `res`, doing a TSGI
 * server's part: headers held until the first non-empty chunk (or `write()`, or the end), `excInfo`
 * replacing unsent headers, each chunk written as it comes with `'drain'` awaited, the body closed
 * in every case. An error before the head answers 500; after it, the connection is cut
 * (`res.destroy`), as node:http would; an error with the `CONNECTION_DESTROYED` code (SPEC 6.2)
 * cuts it at once, with no 500 and no log line. A client that leaves aborts `tsgi.signal` and stops the
 * iteration at the next chunk.
 */
export async function respond(
  app: App,
  environ: Environ,
  res: ServerResponse,
  errors: ErrorStream,
): Promise<void> {
  let status: string | undefined
  let headers: HeaderList = []
  let sent = false
  const sendHead = (contentLength?: number): void => {
    if (sent) return
    sent = true
    const flat: string[] = []
    for (const [name, value] of headers) flat.push(name, value)
    if (contentLength !== undefined) flat.push('Content-Length', String(contentLength))
    const code = Number(status!.slice(0, 3))
    // A flat [name, value, ...] array goes out as given: order and repeats (Set-Cookie) kept.
    res.writeHead(code, status!.slice(4), flat)
  }
  // SPEC write.returns-promise: once the client is gone, write() rejects, so a producer that
  // awaits it stops; handled in advance, so one that never awaits cannot crash the process.
  // The reason is tsgi.signal's (made now if the app never read it: most never do).
  const gone = (): Promise<void> => {
    const rejected = Promise.reject(clientSignalOf(res).reason ?? new Error('the client disconnected'))
    rejected.catch(() => {})
    return rejected
  }
  const write: Write = (chunk) => {
    if (status === undefined) return Promise.reject(new Error('write() called before startResponse()'))
    if (res.destroyed) return gone()
    const first = !sent
    sendHead()
    if (chunk.byteLength > 0)
      return writeChunk(res, chunk).then(() => (res.destroyed && !res.writableFinished ? gone() : undefined))
    if (first) res.flushHeaders()
    return Promise.resolve()
  }
  const startResponse: StartResponse = (nextStatus, nextHeaders, excInfo) => {
    if (excInfo !== undefined) {
      // PEP 3333: with exc_info, replace what is unsent; once sent, re-raise the app's error.
      if (sent) throw excInfo
    } else if (status !== undefined) {
      throw new Error('startResponse() called twice without excInfo')
    }
    status = nextStatus
    headers = nextHeaders
    return write
  }
  let body: Body | undefined
  try {
    body = await app(environ, startResponse)
    if (Array.isArray(body) && !sent && status !== undefined) {
      // The whole body is known: give it a Content-Length, as PEP 3333 lets a server (S11).
      sendHead(knownLength(body, headers, environ.REQUEST_METHOD, status))
    }
    for await (const chunk of body) {
      if (clientGone(res)) break
      if (chunk.byteLength === 0) continue
      if (status === undefined) throw new Error('the body yielded bytes before startResponse()')
      sendHead()
      await writeChunk(res, chunk)
    }
    if (!clientGone(res)) {
      if (status === undefined) throw new Error('the app returned without calling startResponse()')
      sendHead()
      res.end()
    }
  } catch (error) {
    if ((error as { code?: unknown } | null)?.code === CONNECTION_DESTROYED) {
      // SPEC 6.2: what was written still reaches the client, then the connection closes.
      // node corks the socket until the next tick after a write: uncork it first.
      const socket = res.socket
      if (socket === null) return
      while (socket.writableCorked > 0) socket.uncork()
      socket.destroySoon()
      return
    }
    errors.write(
      `@tsgi/adapters toNodeHandler: ${error instanceof Error ? (error.stack ?? error) : String(error)}\n`,
    )
    if (sent || res.headersSent) res.destroy(error instanceof Error ? error : undefined)
    else if (!clientGone(res)) sendInternalError(res)
  } finally {
    await body?.close?.()
  }
}

/** The response closed before it finished: what aborts `tsgi.signal` ({@link clientSignalOf}). */
function clientGone(res: ServerResponse): boolean {
  return res.destroyed && !res.writableFinished
}

function knownLength(
  body: Uint8Array[],
  headers: HeaderList,
  method: string,
  status: string,
): number | undefined {
  const code = Number(status.slice(0, 3))
  if (method === 'HEAD' || code === 204 || code === 304 || code < 200) return undefined
  if (headers.some(([name]) => name.toLowerCase() === 'content-length')) return undefined
  // Indexed, not iterated: the body is iterated once, by the sending loop (PEP 3333, validate).
  let total = 0
  for (let i = 0; i < body.length; i++) total += body[i]!.byteLength
  return total
}

function writeChunk(res: ServerResponse, chunk: Uint8Array): Promise<void> {
  // A destroyed response drops the write and will not emit 'drain' or 'close' again.
  if (res.write(chunk) || res.destroyed) return Promise.resolve()
  return new Promise((resolve) => {
    const done = (): void => {
      res.off('drain', done)
      res.off('close', done)
      resolve()
    }
    res.on('drain', done)
    res.on('close', done)
  })
}

function sendInternalError(res: ServerResponse): void {
  res.writeHead(500, {
    'Content-Type': 'text/plain; charset=utf-8',
    'Content-Length': String(INTERNAL_ERROR.byteLength),
  })
  res.end(INTERNAL_ERROR)
}
