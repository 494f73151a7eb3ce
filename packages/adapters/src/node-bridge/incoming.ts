import { IncomingMessage } from 'node:http'
import type { Environ } from '@tsgi/core'
import { BridgeSocket } from './bridge-socket.ts'
import { rawHeadersFromEnviron } from './raw-headers.ts'
import { requestTarget } from './request-target.ts'

/**
 * How the request body is delimited, read off the environ: `'none'`, a known length (the
 * `Content-Length`), `'chunked'` (ends with `tsgi.input`), or `'unknown'`: no length and no
 * `Transfer-Encoding` but `tsgi.input_terminated`, so only reading can tell.
 */
export type BodyFraming = 'none' | 'chunked' | 'unknown' | number

/** Reads the framing of the request body from `CONTENT_LENGTH`, `HTTP_TRANSFER_ENCODING` and `tsgi.input_terminated`. */
export function bodyFraming(environ: Environ): BodyFraming {
  if (typeof environ.HTTP_TRANSFER_ENCODING === 'string') return 'chunked'
  const length = environ.CONTENT_LENGTH
  if (length !== undefined && length !== '') {
    const bytes = Number(length)
    return bytes > 0 ? bytes : 'none'
  }
  // RFC 9112 §6.3: no length and no coding means no body. But an environ may come from a gateway
  // that de-chunked the upload and dropped the field (tsgi.input_terminated says to read to the
  // end): then only reading tells. GET and HEAD skip that read: their bodies have no meaning
  // (RFC 9110 §9.3.1-2) and any real chunked one arrives with its Transfer-Encoding.
  if (environ['tsgi.input_terminated'] !== true) return 'none'
  const method = environ.REQUEST_METHOD
  return method === 'GET' || method === 'HEAD' ? 'none' : 'unknown'
}

const VERSION = /^HTTP\/(\d)(?:\.(\d))?$/

/**
 * A real `http.IncomingMessage` for the request the environ describes, on a {@link BridgeSocket}.
 * Fields are set the way node's HTTP parser sets them (`parserOnHeadersComplete`): `method`, `url`
 * from `RAW_URI`, `httpVersion*`, and the header lines through `IncomingMessage#_addHeaderLines`,
 * so `headers`, `headersDistinct` and `rawHeaders` follow node's own rules. Nothing else is
 * assigned: no `req.ip`, no `req.body`, no framework field.
 *
 * The body is not connected; see {@link connectRequestBody} and {@link completeBodyless}.
 *
 * `extraHeaders` (lines to append) lets the bridge restore a `Transfer-Encoding: chunked` the
 * server kept out of the environ.
 */
export function buildIncomingMessage(
  environ: Environ,
  socket: BridgeSocket,
  extraHeaders?: string[],
): IncomingMessage {
  const req = new IncomingMessage(socket as never)
  const protocol = environ.SERVER_PROTOCOL
  if (protocol === 'HTTP/1.1') {
    req.httpVersionMajor = 1
    req.httpVersionMinor = 1
    req.httpVersion = '1.1'
  } else {
    const version = VERSION.exec(protocol)
    req.httpVersionMajor = version ? Number(version[1]) : 1
    req.httpVersionMinor = version ? Number(version[2] ?? 0) : 1
    req.httpVersion = `${req.httpVersionMajor}.${req.httpVersionMinor}`
  }
  req.method = environ.REQUEST_METHOD
  req.url = requestTarget(environ)
  const raw = rawHeadersFromEnviron(environ)
  if (extraHeaders) raw.push(...extraHeaders)
  addHeaderLines(req, raw)
  // node:http sets `upgrade` only when an 'upgrade' listener takes the connection over; a gateway
  // app never does, so this is a plain request, as node:http treats it without such a listener.
  ;(req as IncomingMessage & { upgrade: boolean }).upgrade = false
  return req
}

/**
 * Connects the body: any body is fed from `tsgi.input` through the socket, lazily (nothing is read
 * before the app reads). Call it before the handler runs, so a read in its synchronous part works.
 */
export function connectRequestBody(
  req: IncomingMessage,
  socket: BridgeSocket,
  framing: BodyFraming,
  first?: Uint8Array,
): void {
  if (framing !== 'none') socket.feed(req, typeof framing === 'number' ? framing : -1, first)
}

/**
 * Completes a bodyless request (`complete`, then end of stream), as node:http does in the same
 * parser run that emitted 'request', right after the handler's synchronous part.
 */
export function completeBodyless(req: IncomingMessage, framing: BodyFraming): void {
  if (framing !== 'none') return
  req.complete = true
  req.push(null)
}

/**
 * A real `http.IncomingMessage` for `environ`, its body streaming from `tsgi.input`, on a socket
 * whose peer and local addresses, `encrypted` and `destroy()` behave as described for
 * {@link BridgeSocket}. `req.socket` is what `getConnInfo` of `@hono/node-server` reads. Writes to
 * the socket are discarded; use `fromNodeHandler` to capture a response.
 *
 * @example
 * const req = createIncomingMessage(environ)
 * req.socket.remoteAddress // environ.REMOTE_ADDR
 */
export function createIncomingMessage(environ: Environ): IncomingMessage {
  const socket = new BridgeSocket(environ)
  const framing = bodyFraming(environ)
  const req = buildIncomingMessage(environ, socket)
  connectRequestBody(req, socket, framing)
  completeBodyless(req, framing)
  return req
}

type HeaderLines = { _addHeaderLines?: (lines: string[], count: number) => void }

/**
 * `_addHeaderLines` is how node's own parser hands header lines to an `IncomingMessage` (it fills
 * `rawHeaders` and the count `headers` is derived from). Should a future node drop it, the public
 * setters give the same result through node's public `headers` rules applied here by hand.
 */
function addHeaderLines(req: IncomingMessage, raw: string[]): void {
  const add = (req as unknown as HeaderLines)._addHeaderLines
  if (typeof add === 'function') {
    add.call(req, raw, raw.length)
    return
  }
  req.rawHeaders = raw
  const headers: Record<string, string | string[]> = {}
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i]!.toLowerCase()
    const value = raw[i + 1]!
    const seen = headers[name]
    if (name === 'set-cookie') headers[name] = Array.isArray(seen) ? [...seen, value] : [value]
    else if (seen === undefined) headers[name] = value
    else headers[name] = `${seen}${name === 'cookie' ? '; ' : ', '}${value}`
  }
  req.headers = headers
}
