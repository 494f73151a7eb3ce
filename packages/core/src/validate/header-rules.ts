import { HOP_BY_HOP_FIELDS } from '../hop-by-hop.ts'
import { show } from './reporter.ts'
import type { RuleId } from './rules.ts'

// RFC 9110 §5.1 and §5.6.2: field-name = token.
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/
// RFC 9110 §5.5: field-value characters are HTAB, SP, VCHAR and obs-text (0x80-0xFF): no CR, LF, NUL.
const FIELD_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/
// RFC 9112 §4: status-line = 3DIGIT SP [ reason-phrase ], reason-phrase = 1*( HTAB / SP / VCHAR / obs-text ).
const STATUS = /^([1-5]\d\d) [\t\x20-\x7e\x80-\xff]*$/
/** `Connection: close`, the one hop-by-hop field an app may send (SPEC `server.connection-close`). */
const CLOSE_ONLY = /^[ \t]*close[ \t]*$/i

/** A broken rule and the message that explains it. */
export type Problem = [rule: RuleId, message: string]

/** The status code of a valid status line, or the problems with it. */
export function statusProblems(status: unknown): { code?: number; problems: Problem[] } {
  /** response.status: the status is a string: three digits (100..599, RFC 9110 §15), one space, an optional latin-1 reason phrase. */
  const match = typeof status === 'string' ? STATUS.exec(status) : null
  if (!match)
    return { problems: [['response.status', `status must look like "200 OK", got ${show(status)}`]] }
  const code = Number(match[1])
  /** response.status-final: the status is a final one (200..599); 1xx responses are the server's, or go through `tsgi.early_hints`. */
  if (code < 200)
    return {
      code,
      problems: [
        [
          'response.status-final',
          `status must be final (>= 200), got ${show(status)}; send 103 through environ['tsgi.early_hints']`,
        ],
      ],
    }
  return { code, problems: [] }
}

/**
 * The problems with a header list. `code` is the response status (undefined for early hints,
 * where the status-specific rules do not apply).
 */
export function headerProblems(headers: unknown, code?: number): Problem[] {
  /** headers.list: headers are an array of `[name, value]` pairs of strings (not a `Headers` or a record: repeats must survive). */
  if (!Array.isArray(headers))
    return [['headers.list', `headers must be an array of [name, value] pairs, got ${show(headers)}`]]
  const problems: Problem[] = []
  let contentLengths = 0
  for (const header of headers as unknown[]) {
    if (
      !Array.isArray(header) ||
      header.length !== 2 ||
      typeof header[0] !== 'string' ||
      typeof header[1] !== 'string'
    ) {
      problems.push([
        'headers.list',
        `each header must be a [name, value] pair of strings, got ${show(header)}`,
      ])
      continue
    }
    const [name, value] = header as [string, string]
    const lower = name.toLowerCase()
    /** headers.name: a header name is an RFC 9110 token: no spaces, colons or control characters. */
    if (!TOKEN.test(name))
      problems.push(['headers.name', `header name ${show(name)} is not a token (RFC 9110 §5.1)`])
    /** headers.value: a header value holds HTAB, SP, visible ASCII and U+0080..U+00FF only: no CR, LF or NUL. */
    if (!FIELD_VALUE.test(value))
      problems.push([
        'headers.value',
        `header ${name}: value ${show(value)} has a control character or a code point above U+00FF`,
      ])
    /** headers.no-status: there is no `Status` header (CGI's way to set the status); the status is startResponse's first argument. */
    if (lower === 'status')
      problems.push([
        'headers.no-status',
        'a "Status" header is not allowed; pass the status to startResponse',
      ])
    /** headers.no-hop-by-hop: no hop-by-hop header (Connection, Keep-Alive, Transfer-Encoding, Upgrade, TE, Trailer, Proxy-*): framing is the server's job; `Connection: close` alone asks the server to close after a final response. */
    const closes = lower === 'connection' && code !== undefined && CLOSE_ONLY.test(value)
    if (HOP_BY_HOP_FIELDS.has(lower) && !closes)
      problems.push([
        'headers.no-hop-by-hop',
        `hop-by-hop header ${show(name)} is not allowed; the server handles the connection`,
      ])
    if (lower === 'content-length') {
      contentLengths += 1
      /** headers.content-length: Content-Length is decimal digits and appears at most once. */
      if (!/^\d+$/.test(value) || contentLengths > 1)
        problems.push([
          'headers.content-length',
          `Content-Length must be one field of decimal digits, got ${show(value)}${contentLengths > 1 ? ' (repeated)' : ''}`,
        ])
    }
    if (code === 204 || code === 304) {
      /** headers.bodiless-status: a 204 or 304 response has no Content-Type, and a 204 no Content-Length (RFC 9110 §8.6, §15.3.5). */
      const banned = lower === 'content-type' || (code === 204 && lower === 'content-length')
      if (banned)
        problems.push(['headers.bodiless-status', `a ${code} response must not have a ${name} header`])
    }
  }
  return problems
}

/** The value of the single `Content-Length` header as a number, if it is valid. */
export function declaredLength(headers: ReadonlyArray<readonly [string, string]>): number | undefined {
  const values = headers.filter(([name]) => name.toLowerCase() === 'content-length').map(([, value]) => value)
  return values.length === 1 && /^\d+$/.test(values[0]!) ? Number(values[0]) : undefined
}
