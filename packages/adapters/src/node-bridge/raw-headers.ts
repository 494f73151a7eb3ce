import type { Environ } from '@tsgi/core'

const names = new Map<string, string>()

/**
 * Where a server puts the header lines as received (`[name, value, ...]`, node's `rawHeaders`
 * shape): the tsgi server's extension key (SPEC `server.extension-keys`).
 */
const SERVER_LINES = 'tsgi-server.raw_headers'

/**
 * The request's header lines for `IncomingMessage#rawHeaders`. Node's own rules then derive
 * `req.headers` from them (lower-case names, `set-cookie` an array, a repeated `content-type`,
 * `user-agent`, `authorization`... keeping its first value), because the lines go through
 * `IncomingMessage`'s own header code, never a copy of it.
 *
 * The lines as the client sent them, when the server gives them (the tsgi server's
 * `tsgi-server.raw_headers`) and they still say what the environ says: names as spelled,
 * repeats as separate lines, in order. A middleware that changed a header, or a target in
 * absolute form (its authority replaces `Host`, RFC 9112 §3.2.2), makes them disagree. The
 * authority then takes the `Host` line's place and the other lines stay as sent; lines that
 * still disagree are rebuilt from the environ, as for any other server ({@link linesFromEnviron}).
 */
export function rawHeadersFromEnviron(environ: Environ): string[] {
  const lines = environ[SERVER_LINES]
  if (Array.isArray(lines)) {
    // A copy: node keeps the array it is given as `req.rawHeaders`, which the app may change.
    if (agreesWithEnviron(lines as string[], environ)) return (lines as string[]).slice()
    const hosted = withHost(lines as string[], environ.HTTP_HOST)
    if (hosted !== null && agreesWithEnviron(hosted, environ)) return hosted
  }
  return linesFromEnviron(environ)
}

/**
 * The lines with their `Host` replaced by `host` (or, without one, `Host` added last): what a
 * target in absolute form does to the environ, whose authority is the request's host (RFC 9112
 * §3.2.2). Every other line stays as sent: spelling, order, repeats (a repeated `Content-Type`
 * must still read as its first value, not as both joined). Null when there is no `host`.
 */
function withHost(lines: string[], host: unknown): string[] | null {
  if (typeof host !== 'string') return null
  const hosted = lines.slice()
  const at = hosted.findIndex(
    (line, i) => i % 2 === 0 && typeof line === 'string' && line.toLowerCase() === 'host',
  )
  if (at === -1) hosted.push('Host', host)
  else hosted[at + 1] = host
  return hosted
}

/**
 * Whether `lines` give exactly the environ's header keys and values, joined as a server joins
 * repeats (", ", cookies "; "). Lines whose name the environ cannot carry (`_` in it, which a
 * server drops so that `X_A` cannot pose as `X-A`) are not compared: node keeps such a line
 * apart from `X-A`, as on node:http.
 */
function agreesWithEnviron(lines: string[], environ: Environ): boolean {
  // Anything but name/value string pairs (a middleware's own value under the key) is not lines.
  if (lines.length % 2 !== 0 || !lines.every((line) => typeof line === 'string')) return false
  // The usual request repeats no field: each line is its key's whole value, and no Map is needed.
  let lineKeys = 0
  for (let i = 0; i + 1 < lines.length; i += 2) {
    const key = environKeyOf(lines[i]!)
    if (key === null) continue
    if (environ[key] !== lines[i + 1]) return joinedAgree(lines, environ)
    lineKeys++
  }
  let keys = 0
  for (const key in environ) if (isHeaderKey(key)) keys++
  return keys === lineKeys || joinedAgree(lines, environ)
}

/** {@link agreesWithEnviron} for lines that repeat a field: joined as the server joins them. */
function joinedAgree(lines: string[], environ: Environ): boolean {
  const joined = new Map<string, string>()
  for (let i = 0; i + 1 < lines.length; i += 2) {
    const key = environKeyOf(lines[i]!)
    if (key === null) continue
    const prior = joined.get(key)
    const value = lines[i + 1]!
    joined.set(key, prior === undefined ? value : `${prior}${key === 'HTTP_COOKIE' ? '; ' : ', '}${value}`)
  }
  let keys = 0
  for (const key in environ) {
    if (!isHeaderKey(key)) continue
    keys++
    if (joined.get(key) !== environ[key]) return false
  }
  return keys === joined.size
}

function isHeaderKey(key: string): boolean {
  return key.startsWith('HTTP_') || key === 'CONTENT_TYPE' || key === 'CONTENT_LENGTH'
}

const keys = new Map<string, string | null>()

/** `X-Forwarded-For` -> `HTTP_X_FORWARDED_FOR`; null for a name with `_` (no key: it would clash). */
function environKeyOf(name: string): string | null {
  let key = keys.get(name)
  if (key === undefined) {
    const upper = name.toUpperCase()
    key = upper.includes('_')
      ? null
      : upper === 'CONTENT-TYPE' || upper === 'CONTENT-LENGTH'
        ? upper.replace('-', '_')
        : `HTTP_${upper.replaceAll('-', '_')}`
    if (keys.size < 1000) keys.set(name, key)
  }
  return key
}

/**
 * The header lines rebuilt from the environ, which keeps neither the original spelling of a name
 * nor repeated lines apart: names are spelled in the canonical Title-Case most HTTP/1.1 clients
 * send (`HTTP_X_FORWARDED_FOR` becomes `X-Forwarded-For`); lines come in the environ's key order,
 * which is the order the server saw them in; a field the client repeated stays one line with the
 * server's joined value. `CONTENT_TYPE` and `CONTENT_LENGTH` become `Content-Type` and
 * `Content-Length` when present and non-empty; nothing is invented (no `Content-Length: 0` for a
 * bodyless request, no `Host`).
 */
function linesFromEnviron(environ: Environ): string[] {
  const raw: string[] = []
  for (const key in environ) {
    // The key decides before the value is read: a server may define `tsgi.*` keys as lazy getters.
    const name = key.startsWith('HTTP_')
      ? headerName(key)
      : key === 'CONTENT_TYPE'
        ? 'Content-Type'
        : key === 'CONTENT_LENGTH'
          ? 'Content-Length'
          : undefined
    if (name === undefined) continue
    const value = environ[key]
    if (typeof value === 'string' && (value !== '' || key.startsWith('HTTP_'))) {
      raw.push(name, value)
    }
  }
  return raw
}

/** `HTTP_X_FORWARDED_FOR` -> `X-Forwarded-For`, memoised (the set of names in use is small). */
function headerName(key: string): string {
  let name = names.get(key)
  if (name === undefined) {
    name = key
      .slice(5)
      .toLowerCase()
      .replace(
        /(^|_)([a-z])/g,
        (_match, sep: string, letter: string) => (sep ? '-' : '') + letter.toUpperCase(),
      )
      .replaceAll('_', '-')
    if (names.size < 1000) names.set(key, name)
  }
  return name
}
