import { statusText } from '@tsgi/core'

/** Status lines are built once per code and reused (they are immutable strings). */
const LINES = new Map<number, string>()

/**
 * The tsgi status line for a fetch `Response`: `"404 Not Found"`. A non-empty
 * `statusText` is kept verbatim; otherwise the registered reason phrase, or `unknown` for an
 * unregistered code (`"299 unknown"`), as node:http writes it, and so `@hono/node-server`.
 */
export function statusLine(status: number, text: string): string {
  if (text !== '') return `${status} ${text}`
  let line = LINES.get(status)
  if (line === undefined) {
    line = `${status} ${statusText(status) || 'unknown'}`
    LINES.set(status, line)
  }
  return line
}
