import type { Reporter } from './reporter.ts'
import { show } from './reporter.ts'

// RFC 9110 §5.6.2: token = 1*tchar.
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/
const REQUIRED = [
  'REQUEST_METHOD',
  'SCRIPT_NAME',
  'PATH_INFO',
  'QUERY_STRING',
  'SERVER_NAME',
  'SERVER_PORT',
  'SERVER_PROTOCOL',
  'tsgi.version',
  'tsgi.url_scheme',
  'tsgi.input',
  'tsgi.errors',
  'tsgi.multithread',
  'tsgi.multiprocess',
  'tsgi.run_once',
] as const

/** Checks the environ a server passes to the app (the server's side of the call). */
export function checkEnviron(environ: unknown, r: Reporter): void {
  /**
   * environ.plain-object: the environ is a plain, extensible object (prototype `Object.prototype`
   * or `null`), not a Map, class instance, Proxy-like wrapper or frozen object: apps may add keys.
   */
  if (
    !r.check(
      isPlainObject(environ),
      'environ.plain-object',
      () => `environ must be a plain extensible object, got ${show(environ)}`,
    )
  ) {
    return
  }
  const e = environ as Record<string, unknown>

  /** environ.required-keys: every CGI key and `tsgi.*` key that SPEC.md lists as required is present. */
  const missing = REQUIRED.filter((key) => !(key in e))
  r.check(missing.length === 0, 'environ.required-keys', () => `environ is missing ${missing.join(', ')}`)

  for (const [key, value] of Object.entries(e)) {
    if (key.includes('.')) continue
    /** environ.cgi-strings: every key without a dot (CGI and `HTTP_*` keys) holds a string. */
    if (
      !r.check(
        typeof value === 'string',
        'environ.cgi-strings',
        () => `environ.${key} must be a string, got ${show(value)}`,
      )
    ) {
      continue
    }
    /** environ.latin1: CGI strings hold code points U+0000..U+00FF only: bytes decoded as latin-1. */
    r.check(
      isLatin1(value as string),
      'environ.latin1',
      () => `environ.${key} must be a latin-1 string (bytes decoded as latin-1), got ${show(value)}`,
    )
    /** environ.http-keys: request headers appear as `HTTP_` + the name upper-cased with `-` as `_`. */
    if (key.startsWith('HTTP_')) {
      r.check(
        /^HTTP_[A-Z0-9_!#$%&'*+.^`|~]+$/.test(key),
        'environ.http-keys',
        () => `environ key ${show(key)} is not an upper-case HTTP_ header key`,
      )
    }
  }

  const text = (key: string): string | undefined =>
    typeof e[key] === 'string' ? (e[key] as string) : undefined
  const method = text('REQUEST_METHOD')
  const script = text('SCRIPT_NAME')
  const path = text('PATH_INFO')

  /** environ.request-method: REQUEST_METHOD is a non-empty token (RFC 9110 §9.1), any method, not only the known ones. */
  if (method !== undefined)
    r.check(
      TOKEN.test(method),
      'environ.request-method',
      () => `environ.REQUEST_METHOD must be a token, got ${show(method)}`,
    )

  /** environ.script-name: SCRIPT_NAME is empty or starts with `/`, and is never `/` alone (the root is `''`). */
  if (script !== undefined) {
    r.check(
      script === '' || (script.startsWith('/') && script !== '/'),
      'environ.script-name',
      () => `environ.SCRIPT_NAME must be empty or start with '/' (and not be '/'), got ${show(script)}`,
    )
  }

  /** environ.path-info: PATH_INFO is empty or starts with `/`; `*` only for `OPTIONS *` (RFC 9112 §3.2.4). */
  if (path !== undefined) {
    r.check(
      path === '' || path.startsWith('/') || (path === '*' && method === 'OPTIONS'),
      'environ.path-info',
      () => `environ.PATH_INFO must be empty or start with '/', got ${show(path)}`,
    )
  }

  /** environ.script-or-path: SCRIPT_NAME and PATH_INFO are not both empty; the root of a site is PATH_INFO `/`. */
  if (script !== undefined && path !== undefined) {
    r.check(
      script !== '' || path !== '',
      'environ.script-or-path',
      () => `environ.SCRIPT_NAME and environ.PATH_INFO are both empty; PATH_INFO should be '/'`,
    )
  }

  const serverName = text('SERVER_NAME')
  /** environ.server-name: SERVER_NAME is not empty. */
  if (serverName !== undefined)
    r.check(serverName !== '', 'environ.server-name', () => `environ.SERVER_NAME must not be empty`)

  const port = text('SERVER_PORT')
  /** environ.server-port: SERVER_PORT is the port as decimal digits, never empty. */
  if (port !== undefined)
    r.check(
      /^\d+$/.test(port),
      'environ.server-port',
      () => `environ.SERVER_PORT must be decimal digits, got ${show(port)}`,
    )

  const protocol = text('SERVER_PROTOCOL')
  /** environ.server-protocol: SERVER_PROTOCOL is the request's version, `HTTP/<digit>[.<digit>]` (e.g. `HTTP/1.1`). */
  if (protocol !== undefined)
    r.check(
      /^HTTP\/\d(\.\d)?$/.test(protocol),
      'environ.server-protocol',
      () => `environ.SERVER_PROTOCOL must look like 'HTTP/1.1', got ${show(protocol)}`,
    )

  const length = text('CONTENT_LENGTH')
  /** environ.content-length: CONTENT_LENGTH, when present, is decimal digits (absent, not `''`, when unknown). */
  if (length !== undefined)
    r.check(
      /^\d+$/.test(length),
      'environ.content-length',
      () => `environ.CONTENT_LENGTH must be decimal digits when present, got ${show(length)}`,
    )

  /** environ.no-http-content: Content-Type and Content-Length appear as CONTENT_TYPE/CONTENT_LENGTH, never HTTP_CONTENT_*. */
  const httpContent = ['HTTP_CONTENT_TYPE', 'HTTP_CONTENT_LENGTH'].filter((key) => key in e)
  r.check(
    httpContent.length === 0,
    'environ.no-http-content',
    () => `environ must not contain ${httpContent.join(' or ')}; use CONTENT_TYPE / CONTENT_LENGTH`,
  )

  checkTsgiKeys(e, r)
}

function checkTsgiKeys(e: Record<string, unknown>, r: Reporter): void {
  const version = e['tsgi.version']
  /** environ.version: `tsgi.version` is the array `[1, 0]`. */
  if ('tsgi.version' in e)
    r.check(
      Array.isArray(version) && version.length === 2 && version[0] === 1 && version[1] === 0,
      'environ.version',
      () => `environ['tsgi.version'] must be [1, 0], got ${show(version)}`,
    )

  const scheme = e['tsgi.url_scheme']
  /** environ.url-scheme: `tsgi.url_scheme` is `'http'` or `'https'`. */
  if ('tsgi.url_scheme' in e)
    r.check(
      scheme === 'http' || scheme === 'https',
      'environ.url-scheme',
      () => `environ['tsgi.url_scheme'] must be 'http' or 'https', got ${show(scheme)}`,
    )

  for (const key of ['tsgi.multithread', 'tsgi.multiprocess', 'tsgi.run_once']) {
    /** environ.flags: `tsgi.multithread`, `tsgi.multiprocess` and `tsgi.run_once` are booleans. */
    if (key in e)
      r.check(
        typeof e[key] === 'boolean',
        'environ.flags',
        () => `environ['${key}'] must be a boolean, got ${show(e[key])}`,
      )
  }

  const input = e['tsgi.input'] as Record<string | symbol, unknown> | undefined
  /** environ.input: `tsgi.input` has `read`, `readline` and `[Symbol.asyncIterator]` methods. */
  if ('tsgi.input' in e)
    r.check(
      hasMethods(input, ['read', 'readline', Symbol.asyncIterator]),
      'environ.input',
      () =>
        `environ['tsgi.input'] must have read(), readline() and [Symbol.asyncIterator](), got ${show(input)}`,
    )

  const errors = e['tsgi.errors']
  /** environ.errors: `tsgi.errors` has `write`, `writelines` and `flush` methods. */
  if ('tsgi.errors' in e)
    r.check(
      hasMethods(errors, ['write', 'writelines', 'flush']),
      'environ.errors',
      () => `environ['tsgi.errors'] must have write(), writelines() and flush(), got ${show(errors)}`,
    )

  const terminated = e['tsgi.input_terminated']
  /** environ.input-terminated: `tsgi.input_terminated`, when present, is a boolean. */
  if (terminated !== undefined)
    r.check(
      typeof terminated === 'boolean',
      'environ.input-terminated',
      () => `environ['tsgi.input_terminated'] must be a boolean, got ${show(terminated)}`,
    )

  const signal = e['tsgi.signal']
  /** environ.signal: `tsgi.signal`, when present, is an `AbortSignal`. */
  if (signal !== undefined)
    r.check(
      signal instanceof AbortSignal,
      'environ.signal',
      () => `environ['tsgi.signal'] must be an AbortSignal, got ${show(signal)}`,
    )

  const hints = e['tsgi.early_hints']
  /** environ.early-hints: `tsgi.early_hints`, when present, is a function. */
  if (hints !== undefined)
    r.check(
      typeof hints === 'function',
      'environ.early-hints',
      () => `environ['tsgi.early_hints'] must be a function, got ${show(hints)}`,
    )
}

function isPlainObject(value: unknown): boolean {
  if (typeof value !== 'object' || value === null || !Object.isExtensible(value)) return false
  const proto = Object.getPrototypeOf(value)
  return proto === Object.prototype || proto === null
}

function hasMethods(value: unknown, names: Array<string | symbol>): boolean {
  if (typeof value !== 'object' || value === null) return false
  return names.every((name) => typeof (value as Record<string | symbol, unknown>)[name] === 'function')
}

/** True when every code point is U+0000..U+00FF. */
export function isLatin1(text: string): boolean {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: latin-1 includes the control range
  return /^[\x00-\xff]*$/.test(text)
}
