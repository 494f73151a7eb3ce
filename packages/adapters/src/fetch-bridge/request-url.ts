import type { Environ } from '@tsgi/core'
import { UnrepresentableRequestError } from './unrepresentable-request.ts'

/** Bytes a URL parser would re-encode as UTF-8: anything outside visible ASCII. */
const NEEDS_ESCAPE = /[^\x21-\x7e]/

/**
 * The absolute URL a fetch `Request` needs, from the environ: scheme from
 * `tsgi.url_scheme`, authority from `HTTP_HOST` (else `SERVER_NAME:SERVER_PORT`, default
 * port left out), target from `RAW_URI` as received (else rebuilt from `SCRIPT_NAME`,
 * `PATH_INFO` and `QUERY_STRING`). A target that is no URL (`*`, authority-form), has a `\` in
 * its path, or a `Host` the URL parser would rename throws an {@link UnrepresentableRequestError}. Not parsed here: a result that does not parse (a malformed
 * `Host`) is refused where the `Request` is made, and answered with 400, as `@hono/node-server`
 * does.
 */
export function requestUrl(environ: Environ): string {
  const scheme = environ['tsgi.url_scheme'] ?? 'http'
  const target = requestTarget(environ)
  refuseBackslashInPath(target)
  // RFC 9112 §3.2.2: an absolute-form target carries its own authority.
  if (!target.startsWith('/')) {
    // Its host is taken as the URL parser reads it, as on `@hono/node-server`, which checks only
    // a `Host` field (below).
    if (/^https?:\/\//i.test(target)) return target
    // `*` (OPTIONS *) and authority-form (CONNECT) are no URL a `Request` can carry: as on
    // `@hono/node-server`, a 400, rather than a request for `/` the client never made.
    throw new UnrepresentableRequestError(`The request target ${target} is not a URL`)
  }
  return `${scheme}://${authority(environ, scheme)}${target}`
}

/**
 * A `\` in the path is a `/` to the URL parser (URL Standard, special schemes): the handler would
 * route `/a/..\admin` as `/admin`, a path a proxy in front never saw. As `@hono/node-server`
 * does, such a request is refused (400); in the query a `\` is only data.
 */
function refuseBackslashInPath(target: string): void {
  const backslash = target.indexOf('\\')
  if (backslash === -1) return
  const query = target.indexOf('?')
  if (query === -1 || backslash < query) {
    throw new UnrepresentableRequestError('The request path has a backslash, which a URL reads as /')
  }
}

function authority(environ: Environ, scheme: string): string {
  const host = environ.HTTP_HOST
  if (typeof host === 'string' && host !== '') {
    refuseRewrittenHost(`${scheme}://`, host)
    return host
  }
  const port = environ.SERVER_PORT
  const defaultPort = scheme === 'https' ? '443' : '80'
  return port === defaultPort || port === '' ? environ.SERVER_NAME : `${environ.SERVER_NAME}:${port}`
}

/** A lower-case name or address and a port: what nearly every `Host` is, and the URL parser keeps as it is. */
const PLAIN_HOST = /^[a-z0-9._-]+(?::\d{1,5})?$/

/**
 * The URL parser decodes `%41dmin.test` to `admin.test` and maps other spellings of a name to
 * another (IDNA, full-width dots): the handler would see a host that a proxy in front, and the
 * `Host` field the handler also reads, never named. As `@hono/node-server` does, such a request
 * is refused (400), where the parser changes the name by more than its case. A host that does
 * not parse at all is refused where the `Request` is made.
 */
function refuseRewrittenHost(origin: string, host: string): void {
  if (PLAIN_HOST.test(host)) return
  let hostname: string
  try {
    hostname = new URL(`${origin}${host}/`).hostname
  } catch {
    return
  }
  // The port goes (an IPv6 address keeps its brackets, which its `:` never ends).
  if (hostname !== host.replace(/:\d*$/, '').toLowerCase()) {
    throw new UnrepresentableRequestError(`The URL parser reads the host ${host} as ${hostname}`)
  }
}

function requestTarget(environ: Environ): string {
  const raw = environ.RAW_URI
  if (typeof raw === 'string' && raw !== '') return escapeBytes(raw)
  // PATH_INFO is decoded: re-escape what would otherwise end the path, start an escape, or (a `\`,
  // from `%5C`) be read as a `/`.
  const path = escapeBytes(
    `${environ.SCRIPT_NAME}${environ.PATH_INFO}`.replace(/[?#%\\]/g, (c) => encodeURIComponent(c)),
  )
  const query = environ.QUERY_STRING
  return `${path === '' ? '/' : path}${query ? `?${escapeBytes(query)}` : ''}`
}

/**
 * CGI strings hold one byte per code point (latin-1). The URL parser would encode
 * U+00E9 as `%C3%A9` (its UTF-8); the byte on the wire was `%E9`, so escape each
 * byte ourselves and the app sees exactly what the client sent.
 */
function escapeBytes(text: string): string {
  if (!NEEDS_ESCAPE.test(text)) return text
  let out = ''
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i)
    out += code > 0x20 && code < 0x7f ? text[i] : `%${code.toString(16).toUpperCase().padStart(2, '0')}`
  }
  return out
}
