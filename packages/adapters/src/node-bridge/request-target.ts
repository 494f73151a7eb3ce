import type { Environ } from '@tsgi/core'

/**
 * `req.url` for a bridged request: the request-target exactly as the client sent it (`RAW_URI`),
 * as node:http gives it, absolute-form (`http://host/path`) and `*` included, never normalised
 * (`/a/../b`, `%2e` reach the app's own guards untouched).
 *
 * When a mount point sits in `SCRIPT_NAME`, the app sees the rest of the target, the way a mounted
 * Express sub-app does. When `RAW_URI` is missing, or no longer matches `SCRIPT_NAME + PATH_INFO`
 * and `QUERY_STRING` because a middleware rewrote those, the target is rebuilt from them. A
 * `#fragment` a raw client sent stays in `req.url`, as on node:http, though the server leaves it
 * out of `PATH_INFO` and `QUERY_STRING`.
 */
export function requestTarget(environ: Environ): string {
  const raw = environ.RAW_URI
  const script = environ.SCRIPT_NAME ?? ''
  const path = environ.PATH_INFO ?? ''
  const query = environ.QUERY_STRING ?? ''
  if (typeof raw === 'string' && raw !== '') {
    if (raw === '*' && script === '') return raw
    // The fragment is compared as the server parsed it: not part of the path or the query.
    const hash = raw.indexOf('#')
    const beforeFragment = hash === -1 ? raw : raw.slice(0, hash)
    const mark = beforeFragment.indexOf('?')
    const rawPath = mark === -1 ? beforeFragment : beforeFragment.slice(0, mark)
    const rawQuery = mark === -1 ? '' : beforeFragment.slice(mark + 1)
    const pathStart = rawPath.startsWith('/') ? 0 : originFormStart(rawPath)
    if (rawQuery === query && pathStart >= 0) {
      const target = rawPath.slice(pathStart)
      if (script === '') {
        if (decode(target) === path) return raw
      } else if (pathStart === 0 && decode(target) === script + path) {
        const rest = raw.slice(rawPrefixLength(target, script.length))
        return rest.startsWith('/') ? rest : `/${rest}`
      }
    }
  }
  return encodePath(path) + (query === '' ? '' : `?${query}`)
}

/** Where the path of an absolute-form target (`http://host/path`) starts, or -1. */
function originFormStart(target: string): number {
  const scheme = target.indexOf('://')
  if (scheme === -1) return -1
  const slash = target.indexOf('/', scheme + 3)
  return slash === -1 ? target.length : slash
}

/** Percent-decoding to a latin-1 string of the bytes, as `PATH_INFO` is held (TSGI, PEP 3333). */
function decode(path: string): string {
  if (!path.includes('%')) return path
  return path.replace(/%([0-9A-Fa-f]{2})/g, (_match, hex: string) =>
    String.fromCharCode(Number.parseInt(hex, 16)),
  )
}

/** How many raw characters decode to the first `decodedLength` characters. */
function rawPrefixLength(raw: string, decodedLength: number): number {
  let at = 0
  for (let n = 0; n < decodedLength; n++) {
    at += raw[at] === '%' && /^[0-9A-Fa-f]{2}$/.test(raw.slice(at + 1, at + 3)) ? 3 : 1
  }
  return at
}

/** Percent-encodes what may not appear raw in a path (RFC 3986 §3.3), byte by latin-1 byte. */
function encodePath(path: string): string {
  const encoded = path.replace(
    /[^A-Za-z0-9\-._~!$&'()*+,;=:@/]/g,
    (char) => `%${char.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`,
  )
  return encoded.startsWith('/') ? encoded : `/${encoded}`
}
