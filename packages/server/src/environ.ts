import type { EarlyHints, Environ, ErrorStream, InputStream } from '@tsgi/core'
import type { RequestHead } from './http/request-head.ts'

/** Facts about the connection and server that the environ reports. */
export interface ConnectionInfo {
  remoteAddress: string
  /** Ports as decimal strings, formatted once per connection. */
  remotePort: string
  localAddress: string
  localPort: string
  urlScheme: 'http' | 'https'
  multiprocess: boolean
  /** `tsgi-server.connection`: the same object for every request of the connection. */
  identity: object
}

/** The per-request objects the connection creates. */
export interface RequestStreams {
  input: InputStream
  errors: ErrorStream
  /** Creates `tsgi.signal` on first access: most apps never look, and an AbortController is not free. */
  signal: () => AbortSignal
  earlyHints: EarlyHints
}

const VERSION: readonly [1, 0] = Object.freeze([1, 0] as const)
const SIGNAL_SOURCE = Symbol('tsgi.signal source')

/**
 * `tsgi.signal` is created on first read: an AbortSignal costs about 2 µs to build, more than
 * the rest of a hello-world request, and most apps never look. One shared accessor (a literal
 * `get` would allocate two closures per request); assigning replaces it with a data property,
 * and spreading the environ copies the (then created) signal.
 */
const SIGNAL_PROPERTY: PropertyDescriptor = {
  get(this: Record<symbol, () => AbortSignal>): AbortSignal {
    return this[SIGNAL_SOURCE]!()
  },
  set(this: object, value: unknown): void {
    Object.defineProperty(this, 'tsgi.signal', {
      value,
      writable: true,
      enumerable: true,
      configurable: true,
    })
  },
  enumerable: true,
  configurable: true,
}

// Environ keys per field name, cached: the same few dozen names repeat on every request.
const KEY_CACHE = new Map<string, string | null>()
const KEY_CACHE_MAX = 512

/**
 * `HTTP_*` key for a field name, or null for fields the environ never carries as `HTTP_*`.
 * Names with `_` are dropped (as waitress and gunicorn do): `X_Forwarded_For` and
 * `X-Forwarded-For` would both map to `HTTP_X_FORWARDED_FOR`, so a client could spoof a
 * header a proxy set. Content-Type and Content-Length become `CONTENT_TYPE`/`CONTENT_LENGTH`.
 */
export function environKey(name: string): string | null {
  const common = commonKey(name)
  if (common !== undefined) return common
  let key = KEY_CACHE.get(name)
  if (key !== undefined) return key
  const upper = name.toUpperCase()
  if (upper.indexOf('_') !== -1) key = null
  else if (upper === 'CONTENT-TYPE') key = 'CONTENT_TYPE'
  else if (upper === 'CONTENT-LENGTH') key = 'CONTENT_LENGTH'
  else key = `HTTP_${upper.replaceAll('-', '_')}`
  if (KEY_CACHE.size < KEY_CACHE_MAX) KEY_CACHE.set(name, key)
  return key
}

/**
 * The environ key of a name nearly every request carries, spelled as clients send it (Title-Case
 * over HTTP/1.1, lower-case from some): compared directly, which costs less than hashing the
 * fresh name string for the cache. Names this short are flat strings, so the compare stays cheap.
 */
function commonKey(name: string): string | undefined {
  switch (name.length) {
    case 4:
      return name === 'Host' || name === 'host' ? 'HTTP_HOST' : undefined
    case 6:
      if (name === 'Accept' || name === 'accept') return 'HTTP_ACCEPT'
      return name === 'Cookie' || name === 'cookie' ? 'HTTP_COOKIE' : undefined
    case 10:
      if (name === 'User-Agent' || name === 'user-agent') return 'HTTP_USER_AGENT'
      return name === 'Connection' || name === 'connection' ? 'HTTP_CONNECTION' : undefined
    case 12:
      return name === 'Content-Type' || name === 'content-type' ? 'CONTENT_TYPE' : undefined
  }
  return undefined
}

/** Decodes `%XX` escapes to the latin-1 string of the bytes; malformed escapes stay as they are. */
export function decodePath(path: string): string {
  if (path.indexOf('%') === -1) return path
  return path.replace(/%([0-9A-Fa-f]{2})/g, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)))
}

// The last Host value split: a server sees the same few on every request.
let lastHost = ''
let lastHostName = ''
let lastHostPort = ''

/** Splits `host[:port]` / `[v6]:port`; the port is `''` when absent. */
export function splitHost(host: string): [name: string, port: string] {
  const colon = host.lastIndexOf(':')
  if (colon === -1 || host.indexOf(']', colon) !== -1) return [host, '']
  return [host.slice(0, colon), host.slice(colon + 1)]
}

/**
 * Extension key (SPEC `server.extension-keys`): the request's header lines as received, names
 * spelled as sent, `[name, value, name, value, ...]` (node's `rawHeaders` shape). It keeps what
 * the `HTTP_*` keys leave out, names with `_` included: for a decision, read the keys.
 */
export const RAW_HEADERS = 'tsgi-server.raw_headers'

/**
 * Extension key (SPEC `server.extension-keys`): an empty frozen object, the same one for every
 * request of one connection and another for each connection. For identity only (a `WeakMap` key
 * for per-connection state, as node:http apps key it on `req.socket`): the Node bridge gives the
 * requests of one connection one `req.socket`, as node:http does.
 */
export const CONNECTION = 'tsgi-server.connection'

/**
 * The fixed fields of an environ, set by a constructor rather than an object literal
 * (docs/benchmarks.md, "Per-request objects"). Its `prototype` is `Object.prototype`, so what it makes is a plain object, as SPEC
 * "Environ" requires; fields keep the order a literal would give them.
 */
const EnvironFields = function (
  this: Environ,
  head: RequestHead,
  conn: ConnectionInfo,
  streams: RequestStreams,
): void {
  this.REQUEST_METHOD = head.method
  this.SCRIPT_NAME = ''
  this.PATH_INFO = decodePath(head.target.path)
  this.QUERY_STRING = head.target.query
  this.SERVER_NAME = conn.localAddress
  this.SERVER_PORT = conn.localPort
  this.SERVER_PROTOCOL = head.protocol
  this.REMOTE_ADDR = conn.remoteAddress
  this.REMOTE_PORT = conn.remotePort
  this.LOCAL_ADDR = conn.localAddress
  this.LOCAL_PORT = conn.localPort
  this.RAW_URI = head.rawTarget
  this['tsgi.version'] = VERSION
  this['tsgi.url_scheme'] = conn.urlScheme
  this['tsgi.input'] = streams.input
  this['tsgi.errors'] = streams.errors
  this['tsgi.multithread'] = false
  this['tsgi.multiprocess'] = conn.multiprocess
  this['tsgi.run_once'] = false
  this['tsgi.input_terminated'] = true
  this['tsgi.early_hints'] = streams.earlyHints
} as unknown as new (
  head: RequestHead,
  conn: ConnectionInfo,
  streams: RequestStreams,
) => Environ
EnvironFields.prototype = Object.prototype

/**
 * Builds the environ of one request (DESIGN.md "Environ"). Pure: the head, connection facts
 * and streams in, a plain object out. Every string is latin-1, as the bytes arrived.
 */
export function buildEnviron(head: RequestHead, conn: ConnectionInfo, streams: RequestStreams): Environ {
  const target = head.target
  const environ = new EnvironFields(head, conn, streams)
  // Assigned after the fields: a computed key among them makes V8 define it through the runtime.
  ;(environ as unknown as Record<symbol, unknown>)[SIGNAL_SOURCE] = streams.signal
  Object.defineProperty(environ, 'tsgi.signal', SIGNAL_PROPERTY)
  environ[CONNECTION] = conn.identity
  // The header lines as they came, as node's `rawHeaders`: what the HTTP_* keys cannot keep
  // (spelling, repeats, order). The Node bridge builds `req.rawHeaders` from them.
  // A copy: the access log reads the head's own lines after the app ran.
  environ[RAW_HEADERS] = head.headers.slice()
  const fields = head.headers
  for (let i = 0; i < fields.length; i += 2) {
    const key = environKey(fields[i]!)
    if (key === null) continue
    const value = fields[i + 1]!
    const prior = environ[key] as string | undefined
    // RFC 9110 §5.3: repeated fields combine with ", "; Cookie with "; " (RFC 6265 §5.4).
    environ[key] = prior === undefined ? value : `${prior}${key === 'HTTP_COOKIE' ? '; ' : ', '}${value}`
  }
  // RFC 9112 §3.2.2: with an absolute-form target, its authority replaces the Host field.
  if (target.authority !== null) environ.HTTP_HOST = target.authority
  const host = environ.HTTP_HOST as string | undefined
  if (host !== undefined && host !== '') {
    if (host !== lastHost) {
      ;[lastHostName, lastHostPort] = splitHost(host)
      lastHost = host
    }
    const port = lastHostPort
    environ.SERVER_NAME = lastHostName
    const scheme = target.scheme ?? conn.urlScheme
    environ.SERVER_PORT = port !== '' ? port : scheme === 'https' ? '443' : '80'
  }
  return environ
}
