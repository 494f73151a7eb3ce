/**
 * Access-log formatters: one request in, one line out (no trailing newline). Pure, so the
 * CLI decides where lines go and tests compare strings.
 */
import type { AccessLogEntry } from './server.ts'

/** The access-log formats the CLI offers (`--access-log-format`). */
export const ACCESS_LOG_FORMATS = ['common', 'json'] as const

/** One of {@link ACCESS_LOG_FORMATS}. */
export type AccessLogFormat = (typeof ACCESS_LOG_FORMATS)[number]

/** Turns an access-log entry into one line of text. */
export type AccessLogFormatter = (entry: AccessLogEntry) => string

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']

const pad2 = (n: number): string => String(n).padStart(2, '0')

/** `10/Oct/2000:13:55:36 +0000`: the Common Log Format time, always in UTC so lines sort. */
export function clfTime(date: Date): string {
  const day = `${pad2(date.getUTCDate())}/${MONTHS[date.getUTCMonth()]}/${date.getUTCFullYear()}`
  const time = `${pad2(date.getUTCHours())}:${pad2(date.getUTCMinutes())}:${pad2(date.getUTCSeconds())}`
  return `${day}:${time} +0000`
}

/**
 * Request text is bytes decoded as latin-1 (one character a byte, DESIGN.md). A log line is
 * UTF-8 text, so every byte outside printable ASCII is written as `\xHH` (Apache's escaping):
 * re-encoding the bytes as characters would log `/\xff` as `/ÿ`, and a CR or LF could forge a
 * line. A backslash becomes `\\`, so an escape in the log always means a byte.
 */
function escapeBytes(text: string): string {
  return text.replace(/\\|[^\x20-\x7e]/g, (ch) =>
    ch === '\\' ? '\\\\' : `\\x${ch.charCodeAt(0).toString(16).padStart(2, '0')}`,
  )
}

/** {@link escapeBytes}, and `"` escaped too, for a field inside the quotes of a CLF line. */
function escapeField(text: string): string {
  return escapeBytes(text).replaceAll('"', '\\"')
}

/**
 * Common Log Format (`host ident authuser [date] "request" status bytes`), then the
 * response time in milliseconds, the one field CLF lacks that an operator always wants.
 * Zero bytes print as `-`, as CLF specifies.
 *
 * @example
 * formatCommon(entry) // '127.0.0.1 - - [26/Nov/2026:14:35:00 +0000] "GET / HTTP/1.1" 200 14 0.412ms'
 */
export function formatCommon(entry: AccessLogEntry): string {
  const request = escapeField(`${entry.method} ${entry.target} ${entry.protocol}`)
  const bytes = entry.bytes > 0 ? String(entry.bytes) : '-'
  const duration = `${entry.durationMs.toFixed(3)}ms`
  return `${entry.remoteAddr || '-'} - - [${clfTime(entry.startTime)}] "${request}" ${entry.status} ${bytes} ${duration}`
}

/**
 * One JSON object a line, for log shippers. Field names are snake_case like the
 * environ's; `referer` and `user_agent` appear only when the request had them. The
 * request's own text (method, target, protocol, referer, user agent) is escaped as in the
 * common format, `\xHH` for a byte outside printable ASCII, then JSON-encoded.
 *
 * @example
 * JSON.parse(formatJson({ ...entry, target: '/\xff' })).target // '/\\xff', as `common` prints it
 */
export function formatJson(entry: AccessLogEntry): string {
  const text = (value: string | undefined): string | undefined =>
    value === undefined ? undefined : escapeBytes(value)
  return JSON.stringify({
    time: entry.startTime.toISOString(),
    remote_addr: entry.remoteAddr,
    method: text(entry.method),
    target: text(entry.target),
    protocol: text(entry.protocol),
    status: entry.status,
    bytes: entry.bytes,
    duration_ms: Number(entry.durationMs.toFixed(3)),
    referer: text(entry.referer),
    user_agent: text(entry.userAgent),
  })
}

/** The formatter for each {@link AccessLogFormat}. */
export const ACCESS_LOG_FORMATTERS: Record<AccessLogFormat, AccessLogFormatter> = {
  common: formatCommon,
  json: formatJson,
}
