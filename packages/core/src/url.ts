import { checkObject } from './check-argument.ts'
import type { Environ } from './types.ts'

type UriEnviron = Pick<Environ, 'tsgi.url_scheme' | 'SERVER_NAME' | 'SERVER_PORT'> & Partial<Environ>

const DEFAULT_PORTS: Readonly<Record<string, string>> = { http: '80', https: '443' }

/**
 * The base URL of the application: scheme, host and `SCRIPT_NAME` (percent-encoded), without
 * `PATH_INFO` or the query (wsgiref's `application_uri`). `HTTP_HOST` wins over `SERVER_NAME`;
 * the port is left out when it is the scheme's default.
 *
 * @example applicationUri(createEnviron({ SCRIPT_NAME: '/blog' })) // 'http://127.0.0.1/blog'
 */
export function applicationUri(environ: UriEnviron): string {
  checkObject(environ, 'applicationUri() environ')
  const scheme = environ['tsgi.url_scheme']
  let url = `${scheme}://`
  if (environ.HTTP_HOST) url += environ.HTTP_HOST
  else {
    url += environ.SERVER_NAME
    if (environ.SERVER_PORT !== DEFAULT_PORTS[scheme]) url += `:${environ.SERVER_PORT}`
  }
  return url + quote(environ.SCRIPT_NAME || '/', '/')
}

/**
 * The full URL of the request (wsgiref's `request_uri`): `applicationUri` plus `PATH_INFO`
 * percent-encoded (`/`, `;`, `=` and `,` kept) and, unless `includeQuery` is false, `?QUERY_STRING`.
 *
 * @example requestUri(environ) // 'http://127.0.0.1/blog/posts/1?draft=1'
 */
export function requestUri(environ: UriEnviron, includeQuery = true): string {
  checkObject(environ, 'requestUri() environ')
  let url = applicationUri(environ)
  const path = quote(environ.PATH_INFO ?? '', '/;=,')
  url += environ.SCRIPT_NAME ? path : path.slice(1)
  if (includeQuery && environ.QUERY_STRING) url += `?${environ.QUERY_STRING}`
  return url
}

/**
 * Moves the first segment of `PATH_INFO` to the end of `SCRIPT_NAME` and returns it, for apps that
 * dispatch on path segments (wsgiref's `shift_path_info`). Empty and `.` segments in the middle are
 * dropped, `..` moves `SCRIPT_NAME` up one level (but is still returned). Returns `undefined`,
 * changing nothing, when `PATH_INFO` is empty; returns `''` for a trailing slash, and `undefined`
 * (after the shift) when the segment was `.`.
 *
 * @example
 * const environ = createEnviron({ SCRIPT_NAME: '/a', PATH_INFO: '/x/y' })
 * shiftPathInfo(environ) // 'x'; SCRIPT_NAME '/a/x', PATH_INFO '/y'
 */
export function shiftPathInfo(environ: Pick<Environ, 'SCRIPT_NAME' | 'PATH_INFO'>): string | undefined {
  checkObject(environ, 'shiftPathInfo() environ')
  const pathInfo = environ.PATH_INFO ?? ''
  if (!pathInfo) return undefined
  const parts = pathInfo.split('/')
  const middle = parts.slice(1, -1).filter((part) => part !== '' && part !== '.')
  const rest = parts.length > 1 ? [...middle, parts[parts.length - 1]!] : middle
  const name = rest.shift() ?? ''
  let scriptName = normalizePath(`${environ.SCRIPT_NAME ?? ''}/${name}`)
  if (scriptName.endsWith('/')) scriptName = scriptName.slice(0, -1)
  if (!name && !scriptName.endsWith('/')) scriptName += '/'
  environ.SCRIPT_NAME = scriptName
  environ.PATH_INFO = [parts[0], ...rest].join('/')
  return name === '.' ? undefined : name
}

/** Resolves `.`, `..` and repeated slashes in an absolute path, as POSIX `normpath` does. */
function normalizePath(path: string): string {
  const out: string[] = []
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue
    if (part === '..') out.pop()
    else out.push(part)
  }
  return `/${out.join('/')}`
}

const UNRESERVED = /[A-Za-z0-9_.~-]/

/** Percent-encodes a latin-1 string byte by byte, keeping RFC 3986 unreserved characters and `safe`. */
function quote(text: string, safe: string): string {
  let out = ''
  for (const char of text) {
    if (UNRESERVED.test(char) || safe.includes(char)) out += char
    else if (char.charCodeAt(0) <= 0xff)
      out += `%${char.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`
    else out += encodeURIComponent(char) // beyond latin-1 (a spec violation): UTF-8, rather than fail
  }
  return out
}
