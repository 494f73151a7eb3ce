import type { IncomingMessage, ServerResponse } from 'node:http'
import type { EarlyHints, Environ, ErrorStream, HeaderList } from '@tsgi/core'
import { createInputStream } from '@tsgi/core'
import { InputAfterResponseError } from './errors.ts'

const ABSOLUTE_FORM = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/[^/?#]*/
const VERSION = [1, 0] as const

/**
 * The environ for a request node:http parsed, as a TSGI server builds it: `RAW_URI` is `req.url`
 * untouched; `PATH_INFO` its path percent-decoded to a latin-1 string of the bytes (never
 * normalised); headers become `HTTP_*` keys from `rawHeaders` (repeats joined with `, `, cookies
 * with `; `; names holding `_` are dropped, since `X_A` and `X-A` would share a key, as waitress
 * does); the peer address comes from the socket, `SERVER_NAME`/`SERVER_PORT` from `Host` (the
 * socket's local address without one); `tsgi.input` reads `req` with
 * backpressure; `tsgi.signal` aborts when the response closes before it finished (client gone);
 * `tsgi.early_hints` uses `res.writeEarlyHints`.
 */
export function environFromRequest(req: IncomingMessage, res: ServerResponse, errors: ErrorStream): Environ {
  const url = req.url ?? '/'
  const authority = url.startsWith('/') ? null : ABSOLUTE_FORM.exec(url)
  const pathStart = authority ? authority[0].length : 0
  const mark = url.indexOf('?', pathStart)
  const rawPath = url.slice(pathStart, mark === -1 ? undefined : mark)
  const socket = req.socket
  const environ: Environ = {
    REQUEST_METHOD: req.method ?? 'GET',
    SCRIPT_NAME: '',
    PATH_INFO: decodePath(authority && rawPath === '' ? '/' : rawPath),
    QUERY_STRING: mark === -1 ? '' : url.slice(mark + 1),
    SERVER_NAME: socket?.localAddress ?? hostName(req.headers.host),
    SERVER_PORT: String(socket?.localPort ?? ((socket as { encrypted?: boolean })?.encrypted ? 443 : 80)),
    SERVER_PROTOCOL: `HTTP/${req.httpVersion}`,
    RAW_URI: url,
    'tsgi.version': VERSION,
    'tsgi.url_scheme': (socket as { encrypted?: boolean } | null)?.encrypted ? 'https' : 'http',
    // Pulls from req only when the app reads (an unread body is left to node:http to drain).
    'tsgi.input': createInputStream(hasBody(req) ? requestBody(req) : req),
    'tsgi.errors': errors,
    'tsgi.multithread': false,
    'tsgi.multiprocess': false,
    'tsgi.run_once': false,
    // node:http delimits every request body (Content-Length or chunked), so the input ends with it.
    'tsgi.input_terminated': true,
  }
  ;(environ as { [RESPONSE]?: ServerResponse })[RESPONSE] = res
  Object.defineProperty(environ, 'tsgi.signal', SIGNAL_PROPERTY)
  if (socket?.remoteAddress !== undefined) environ.REMOTE_ADDR = socket.remoteAddress
  if (socket?.remotePort !== undefined) environ.REMOTE_PORT = String(socket.remotePort)
  if (socket?.localAddress !== undefined) environ.LOCAL_ADDR = socket.localAddress
  if (socket?.localPort !== undefined) environ.LOCAL_PORT = String(socket.localPort)
  addHeaders(environ, req.rawHeaders)
  // As the tsgi server does (RFC 9112 §3.2.2): the absolute-form authority replaces Host, and the
  // Host the client asked for names the server; the socket's address only when there is none.
  if (authority) environ.HTTP_HOST = authority[0].slice(authority[0].indexOf('//') + 2)
  const host = environ.HTTP_HOST as string | undefined
  if (host) {
    const name = hostName(host)
    const port = host.slice(name.length + 1)
    environ.SERVER_NAME = name
    environ.SERVER_PORT = port !== '' ? port : environ['tsgi.url_scheme'] === 'https' ? '443' : '80'
  }
  // RFC 9110 §15.2: no 1xx to an HTTP/1.0 client (SPEC server.early-hints).
  const http11 = req.httpVersionMajor > 1 || (req.httpVersionMajor === 1 && req.httpVersionMinor >= 1)
  if (http11 && typeof res.writeEarlyHints === 'function') environ['tsgi.early_hints'] = earlyHints(res)
  return environ
}

/** The response an environ made here belongs to; on the response, the signal made for it. */
const RESPONSE = Symbol('tsgi response')
const SIGNAL = Symbol('tsgi client signal')

/**
 * `tsgi.signal`, made on first read: an `AbortController` and a `'close'` listener to fire it
 * cost a quarter of the throughput of a hello world on Node 20 (`bench/to-node-handler.mjs`), and
 * most apps never look. One shared accessor, as the tsgi server has: reading it, or assigning to
 * it, replaces it with a data property, and spreading the environ copies the signal.
 */
const SIGNAL_PROPERTY: PropertyDescriptor = {
  get(this: Environ & { [RESPONSE]?: ServerResponse }): AbortSignal {
    const signal = clientSignalOf(this[RESPONSE]!)
    setSignal(this, signal)
    return signal
  },
  set(this: Environ, value: unknown): void {
    setSignal(this, value)
  },
  enumerable: true,
  configurable: true,
}

function setSignal(environ: Environ, value: unknown): void {
  Object.defineProperty(environ, 'tsgi.signal', {
    value,
    writable: true,
    enumerable: true,
    configurable: true,
  })
}

/**
 * The signal that follows the client `res` answers (made on first use, then the same one): it
 * aborts when the response closes before it finished, already or later. Kept on the response,
 * so what the app does to its environ cannot change it.
 */
export function clientSignalOf(res: ServerResponse): AbortSignal {
  const holder = res as ServerResponse & { [SIGNAL]?: AbortSignal }
  if (holder[SIGNAL] !== undefined) return holder[SIGNAL]
  const controller = new AbortController()
  if (res.destroyed) {
    if (!res.writableFinished) controller.abort()
  } else {
    res.once('close', () => {
      if (!res.writableFinished) controller.abort()
    })
  }
  holder[SIGNAL] = controller.signal
  return controller.signal
}

function addHeaders(environ: Environ, raw: string[]): void {
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i]!
    const value = raw[i + 1]!
    // HTTP/2 pseudo-headers (`:path`) are not fields; `_` in a name would collide with `-`.
    if (name.startsWith(':') || name.includes('_')) continue
    const lower = name.toLowerCase()
    const key =
      lower === 'content-type'
        ? 'CONTENT_TYPE'
        : lower === 'content-length'
          ? 'CONTENT_LENGTH'
          : `HTTP_${lower.replaceAll('-', '_').toUpperCase()}`
    const previous = environ[key]
    // RFC 9110 §5.3: repeated fields combine with commas; RFC 6265 §5.4: cookies with "; ".
    environ[key] =
      typeof previous === 'string' ? `${previous}${lower === 'cookie' ? '; ' : ', '}${value}` : value
  }
}

function earlyHints(res: ServerResponse): EarlyHints {
  return (headers: HeaderList) =>
    new Promise<void>((resolve) => {
      const hints: Record<string, string | string[]> = {}
      for (const [name, value] of headers) {
        const key = name.toLowerCase()
        const seen = hints[key]
        hints[key] = seen === undefined ? value : [...(Array.isArray(seen) ? seen : [seen]), value]
      }
      // node writes no 103 without a Link field (and never calls back then).
      if (hints.link === undefined || res.headersSent) resolve()
      else res.writeEarlyHints(hints, resolve)
    })
}

function hostName(host: string | undefined): string {
  const match = /^(\[[^\]]*\]|[^:]*)/.exec(host ?? '')
  return match?.[1] || '127.0.0.1'
}

/** `%XX` escapes become the byte's latin-1 character, as PEP 3333 servers decode PATH_INFO. */
function decodePath(path: string): string {
  if (!path.includes('%')) return path
  return path.replace(/%([0-9A-Fa-f]{2})/g, (_match, hex: string) =>
    String.fromCharCode(Number.parseInt(hex, 16)),
  )
}

/**
 * The request body for `tsgi.input`. Once the response is out node:http throws away a body
 * nobody started reading (`_dump`): a first read after that fails rather than find the body
 * empty (SPEC 4: a read after the response never ends as if the body were whole).
 */
async function* requestBody(req: IncomingMessage): AsyncGenerator<Uint8Array> {
  if ((req as IncomingMessage & { _dumped?: boolean })._dumped) {
    throw new InputAfterResponseError()
  }
  for await (const chunk of req) yield chunk as Uint8Array
}

/** Whether the request carries body bytes (RFC 9112 §6.3: a length above zero, or a coding). */
function hasBody(req: IncomingMessage): boolean {
  const length = req.headers['content-length']
  return req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0')
}
