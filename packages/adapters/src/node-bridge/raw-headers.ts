import type { Environ } from '@tsgi/core'

const names = new Map<string, string>()

/**
 * The request's header lines for `IncomingMessage#rawHeaders`, rebuilt from the environ.
 *
 * The environ keeps neither the original spelling of a name nor repeated lines apart, so:
 * names are spelled in the canonical Title-Case most HTTP/1.1 clients send (`HTTP_X_FORWARDED_FOR`
 * becomes `X-Forwarded-For`); lines come in the environ's key order, which is the order the server
 * saw them in; a field the client repeated stays one line with the server's joined value. Node's
 * own rules then derive `req.headers` from these lines (lower-case names, `set-cookie` an array,
 * duplicates of `content-type`, `host`... dropped), because the lines go through `IncomingMessage`'s
 * own header code, never a copy of it. `CONTENT_TYPE` and `CONTENT_LENGTH` become `Content-Type` and
 * `Content-Length` when present and non-empty; nothing is invented (no `Content-Length: 0` for a
 * bodyless request, no `Host`).
 */
export function rawHeadersFromEnviron(environ: Environ): string[] {
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
