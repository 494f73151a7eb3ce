import { checkKnownKeys, checkObject, describeArgument, isBodySource } from './check-argument.ts'
import { createEnviron } from './create-environ.ts'
import { TsgiArgumentError } from './errors.ts'
import type { Environ, HeaderList } from './types.ts'

/** A request described the way a test writes it, for `inject`. */
export interface InjectRequest {
  /** The request method; `GET` by default. */
  method?: string
  /** The request target, `/path?query`, or an absolute `http(s)://host[:port]/path?query`; `/` by default. */
  url?: string
  /** Request headers as a list (repeats kept) or a record (`undefined` values skipped); values are latin-1 strings. */
  headers?: HeaderList | Record<string, string | readonly string[] | undefined>
  /** The request body: text (UTF-8 encoded), bytes, or chunks (sent as if chunked: no `CONTENT_LENGTH`). */
  body?: string | Uint8Array | AsyncIterable<Uint8Array>
  /** Extra or replacement environ keys, applied last (e.g. `REMOTE_ADDR`, `'tsgi.errors'`). */
  environ?: Partial<Environ>
}

const ABSOLUTE = /^(https?):\/\/([^/?#]*)/i

const REQUEST_KEYS = ['method', 'url', 'headers', 'body', 'environ'] as const

/** Throws a `TsgiArgumentError` for a request `inject()` cannot send as it was meant. */
export function checkInjectRequest(request: unknown): asserts request is InjectRequest {
  checkObject(request, 'inject() request')
  checkKnownKeys(request, REQUEST_KEYS, 'inject() request')
  const { method, url, headers, body, environ } = request
  if (method !== undefined && typeof method !== 'string') {
    throw new TsgiArgumentError(`inject() request.method must be a string, got ${describeArgument(method)}`)
  }
  if (url !== undefined && typeof url !== 'string') {
    throw new TsgiArgumentError(`inject() request.url must be a string, got ${describeArgument(url)}`)
  }
  if (headers !== undefined && !isHeaders(headers)) {
    throw new TsgiArgumentError(
      `inject() request.headers must be a list of [name, value] strings or a record of strings, got ${describeArgument(headers)}`,
    )
  }
  if (body !== undefined && !isBodySource(body)) {
    throw new TsgiArgumentError(
      `inject() request.body must be a string, a Uint8Array or an async iterable of them, got ${describeArgument(body)}`,
    )
  }
  if (environ !== undefined) checkObject(environ, 'inject() request.environ')
}

function isHeaders(headers: unknown): boolean {
  const isText = (value: unknown) => typeof value === 'string'
  if (Array.isArray(headers)) {
    return headers.every((pair) => Array.isArray(pair) && pair.length === 2 && pair.every(isText))
  }
  if (typeof headers !== 'object' || headers === null) return false
  return Object.values(headers).every(
    (value) => value === undefined || isText(value) || (Array.isArray(value) && value.every(isText)),
  )
}

/**
 * The environ a server would build for `request`: `PATH_INFO` percent-decoded to a latin-1 string of
 * the bytes (never normalised), `RAW_URI` as sent, headers as `HTTP_*` keys (repeats joined with `, `,
 * cookies with `; `), `SERVER_NAME`/`SERVER_PORT` from the `Host` header.
 */
export function environFromRequest(request: InjectRequest): Environ {
  let target = request.url ?? '/'
  let scheme: 'http' | 'https' = 'http'
  let authority: string | undefined
  const absolute = ABSOLUTE.exec(target)
  if (absolute) {
    scheme = absolute[1]!.toLowerCase() as 'http' | 'https'
    authority = absolute[2]
    // `http://h`, `http://h?q` and `http://h#f` have an empty path: a server reads it as `/`.
    const rest = target.slice(absolute[0].length)
    target = rest.startsWith('/') ? rest : `/${rest}`
  }
  const rawUri = encodeNonAscii(target)
  // A fragment stays in RAW_URI, as a server receives it, but is neither path nor query.
  const hash = rawUri.indexOf('#')
  const pathAndQuery = hash === -1 ? rawUri : rawUri.slice(0, hash)
  const query = pathAndQuery.indexOf('?')
  const keys: Record<string, unknown> = {
    REQUEST_METHOD: request.method ?? 'GET',
    PATH_INFO: decodePath(query === -1 ? pathAndQuery : pathAndQuery.slice(0, query)),
    QUERY_STRING: query === -1 ? '' : pathAndQuery.slice(query + 1),
    RAW_URI: rawUri,
    REMOTE_ADDR: '127.0.0.1',
    'tsgi.url_scheme': scheme,
    ...headerKeys(request.headers),
  }
  const host = (keys.HTTP_HOST as string | undefined) ?? authority
  if (host !== undefined) Object.assign(keys, { HTTP_HOST: host, ...serverFromHost(host, scheme) })
  return createEnviron({ ...keys, body: request.body, ...request.environ })
}

function headerKeys(headers: InjectRequest['headers']): Record<string, string> {
  const list: Array<readonly [string, string]> = Array.isArray(headers)
    ? headers
    : Object.entries(headers ?? {}).flatMap(([name, value]) =>
        value === undefined
          ? []
          : typeof value === 'string'
            ? [[name, value] as const]
            : value.map((one) => [name, one] as const),
      )
  const keys: Record<string, string> = {}
  for (const [name, value] of list) {
    const lower = name.toLowerCase()
    const key =
      lower === 'content-type' || lower === 'content-length'
        ? lower.replace('-', '_').toUpperCase()
        : `HTTP_${lower.replaceAll('-', '_').toUpperCase()}`
    const previous = keys[key]
    // RFC 9110 §5.3: repeated fields combine with commas; RFC 6265 §5.4: cookies with "; ".
    keys[key] = previous === undefined ? value : `${previous}${lower === 'cookie' ? '; ' : ', '}${value}`
  }
  return keys
}

function serverFromHost(host: string, scheme: string): { SERVER_NAME: string; SERVER_PORT: string } {
  const match = /^(\[[^\]]*\]|[^:]*)(?::(\d*))?$/.exec(host)
  const name = match?.[1] || '127.0.0.1'
  const port = match?.[2] || (scheme === 'https' ? '443' : '80')
  return { SERVER_NAME: name, SERVER_PORT: port }
}

/** Percent-encodes what a client would: non-ASCII characters, as UTF-8. */
function encodeNonAscii(target: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the printable ASCII range is the point
  return target.replace(/[^\x00-\x7f]+/gu, (text) => encodeURIComponent(text))
}

/** `%XX` escapes become the byte's latin-1 character, as PEP 3333 servers decode PATH_INFO. */
function decodePath(path: string): string {
  return path.replace(/%([0-9a-f]{2})/gi, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)))
}
