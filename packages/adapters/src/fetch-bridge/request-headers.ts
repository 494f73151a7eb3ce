import type { Environ } from '@tsgi/core'

/** `HTTP_ACCEPT_LANGUAGE` -> `accept-language`, memoised: the set of names is small. */
const NAMES = new Map<string, string>()

function headerName(key: string): string {
  let name = NAMES.get(key)
  if (name === undefined) {
    name = key.slice(5).toLowerCase().replaceAll('_', '-')
    if (NAMES.size < 1000) NAMES.set(key, name)
  }
  return name
}

/**
 * The request headers as `[name, value]` pairs for `new Headers()`: every `HTTP_*` key
 * (PEP 3333 names them upper-case with `_` for `-`), plus `CONTENT_TYPE` and
 * `CONTENT_LENGTH`, which CGI keeps without the prefix. Values stay latin-1 strings,
 * which is what a fetch `Headers` holds (a ByteString per the Fetch standard).
 */
export function requestHeaders(environ: Environ): Array<[string, string]> {
  const pairs: Array<[string, string]> = []
  for (const key in environ) {
    if (key.charCodeAt(0) !== 72 /* H */ || !key.startsWith('HTTP_')) continue
    const value = environ[key]
    if (typeof value === 'string') pairs.push([headerName(key), value])
  }
  if (environ.CONTENT_TYPE) pairs.push(['content-type', environ.CONTENT_TYPE])
  if (environ.CONTENT_LENGTH) pairs.push(['content-length', environ.CONTENT_LENGTH])
  return pairs
}
