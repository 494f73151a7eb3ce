import { checkTsgiKeys } from './environ-tsgi-rules.ts'
import type { Reporter } from './reporter.ts'
import { show } from './reporter.ts'
import type { RuleId } from './rules.ts'

// RFC 9110 §5.6.2: token = 1*tchar.
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/
const DIGITS = /^\d+$/
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
   * or `null`), not a Map, class instance or frozen object: apps may add keys.
   */
  const plain = isPlainObject(environ)
  r.check(
    plain,
    'environ.plain-object',
    () => `environ must be a plain extensible object, got ${show(environ)}`,
  )
  if (typeof environ !== 'object' || environ === null) return
  const e = environ as Record<string, unknown>

  /**
   * environ.required-keys: every CGI key and `tsgi.*` key that SPEC.md lists as required is
   * present, and no key holds `undefined` (an optional key that does not apply is left out).
   */
  const missing = REQUIRED.filter((key) => e[key] === undefined)
  r.check(missing.length === 0, 'environ.required-keys', () => `environ is missing ${missing.join(', ')}`)
  const unset = Object.keys(e).filter((key) => e[key] === undefined && !missing.includes(key as never))
  r.check(
    unset.length === 0,
    'environ.required-keys',
    () => `environ sets ${unset.join(', ')} to undefined; leave out a key that does not apply`,
  )

  for (const [key, value] of Object.entries(e)) {
    if (key.includes('.') || value === undefined) continue
    /** environ.cgi-strings: every key without a dot (CGI and `HTTP_*` keys) holds a string. */
    if (
      !r.check(
        typeof value === 'string',
        'environ.cgi-strings',
        () => `environ.${key} must be a string, got ${show(value)}`,
      )
    )
      continue
    /** environ.latin1: CGI strings hold code points U+0000..U+00FF only: bytes decoded as latin-1. */
    r.check(
      isLatin1(value as string),
      'environ.latin1',
      () => `environ.${key} must hold only U+0000..U+00FF (bytes as latin-1), got ${show(value)}`,
    )
    /** environ.http-keys: request headers appear as `HTTP_` + the name upper-cased with `-` as `_`. */
    if (key.startsWith('HTTP_'))
      r.check(
        /^HTTP_[A-Z0-9_!#$%&'*+.^`|~]+$/.test(key),
        'environ.http-keys',
        () => `environ key ${show(key)} is not HTTP_ + an upper-cased header name`,
      )
  }

  const key = (name: string, rule: RuleId, ok: (value: string) => boolean, expected: string): void => {
    const value = e[name]
    if (typeof value === 'string')
      r.check(ok(value), rule, () => `environ.${name} ${expected}, got ${show(value)}`)
  }
  const method = e.REQUEST_METHOD
  /** environ.request-method: REQUEST_METHOD is a non-empty token (RFC 9110 §9.1): any method, not only the known ones. */
  key('REQUEST_METHOD', 'environ.request-method', (v) => TOKEN.test(v), 'must be a token')
  /** environ.script-name: SCRIPT_NAME is empty or starts with `/`, and is never `/` alone (the root is `''`). */
  key(
    'SCRIPT_NAME',
    'environ.script-name',
    (v) => v === '' || (v.startsWith('/') && v !== '/'),
    "must be empty or start with '/' (and not be '/')",
  )
  /** environ.path-info: PATH_INFO is empty or starts with `/`; `*` only for `OPTIONS *` (RFC 9112 §3.2.4). */
  key(
    'PATH_INFO',
    'environ.path-info',
    (v) => v === '' || v.startsWith('/') || (v === '*' && method === 'OPTIONS'),
    "must be empty or start with '/'",
  )
  /** environ.script-or-path: SCRIPT_NAME and PATH_INFO are not both empty; the root of a site is PATH_INFO `/`. */
  key(
    'PATH_INFO',
    'environ.script-or-path',
    (v) => v !== '' || e.SCRIPT_NAME !== '',
    "must be '/' when SCRIPT_NAME is empty",
  )
  /** environ.server-name: SERVER_NAME is not empty. */
  key('SERVER_NAME', 'environ.server-name', (v) => v !== '', 'must not be empty')
  /** environ.server-port: SERVER_PORT is the port in decimal digits, never empty. */
  key('SERVER_PORT', 'environ.server-port', (v) => DIGITS.test(v), 'must be decimal digits')
  /** environ.server-protocol: SERVER_PROTOCOL is the request's version, `HTTP/<digit>[.<digit>]`. */
  key(
    'SERVER_PROTOCOL',
    'environ.server-protocol',
    (v) => /^HTTP\/\d(\.\d)?$/.test(v),
    "must look like 'HTTP/1.1'",
  )
  /** environ.content-length: CONTENT_LENGTH, when present, is decimal digits (absent, not `''`, when unknown). */
  key(
    'CONTENT_LENGTH',
    'environ.content-length',
    (v) => DIGITS.test(v),
    'must be decimal digits when present',
  )

  /** environ.no-http-content: Content-Type and Content-Length appear as CONTENT_TYPE/CONTENT_LENGTH, never HTTP_CONTENT_*. */
  const httpContent = ['HTTP_CONTENT_TYPE', 'HTTP_CONTENT_LENGTH'].filter((name) => name in e)
  r.check(
    httpContent.length === 0,
    'environ.no-http-content',
    () => `environ must not contain ${httpContent.join(' or ')}; use CONTENT_TYPE / CONTENT_LENGTH`,
  )

  checkTsgiKeys(e, r)
}

function isPlainObject(value: unknown): boolean {
  if (typeof value !== 'object' || value === null || !Object.isExtensible(value)) return false
  const proto = Object.getPrototypeOf(value)
  return proto === Object.prototype || proto === null
}

/** True when every code point is U+0000..U+00FF. */
function isLatin1(text: string): boolean {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: latin-1 includes the control range
  return /^[\x00-\xff]*$/.test(text)
}
