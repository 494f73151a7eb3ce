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
 * Makes a request-line field safe for a space-separated, quoted log line: `"`, `\` and
 * control bytes are escaped (Apache does the same, so a crafted target cannot forge a line).
 */
function escapeField(text: string): string {
  return text.replace(/["\\]|[^\x20-\x7e]/g, (ch) => {
    if (ch === '"' || ch === '\\') return `\\${ch}`
    return `\\x${ch.charCodeAt(0).toString(16).padStart(2, '0')}`
  })
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
 * environ's; `referer` and `user_agent` appear only when the request had them.
 */
export function formatJson(entry: AccessLogEntry): string {
  return JSON.stringify({
    time: entry.startTime.toISOString(),
    remote_addr: entry.remoteAddr,
    method: entry.method,
    target: entry.target,
    protocol: entry.protocol,
    status: entry.status,
    bytes: entry.bytes,
    duration_ms: Number(entry.durationMs.toFixed(3)),
    referer: entry.referer,
    user_agent: entry.userAgent,
  })
}

/** The formatter for each {@link AccessLogFormat}. */
export const ACCESS_LOG_FORMATTERS: Record<AccessLogFormat, AccessLogFormatter> = {
  common: formatCommon,
  json: formatJson,
}
