import { TsgiSpecError } from './errors.ts'
import { STATUS_CODES } from './status-codes.ts'

/**
 * The reason phrase of a status code, or `''` when the code is not registered.
 *
 * @example statusText(404) // 'Not Found'
 */
export function statusText(code: number): string {
  return STATUS_CODES[code] ?? ''
}

/**
 * A `startResponse` status line from a code: `"404 Not Found"`. Unregistered codes get an empty
 * reason phrase (`"299 "`), which RFC 9112 §4 allows. Throws `TsgiSpecError` (`response.status`)
 * unless `code` is an integer from 100 to 599 (RFC 9110 §15).
 *
 * @example startResponse(formatStatus(201), headers)
 */
export function formatStatus(code: number): string {
  if (!Number.isInteger(code) || code < 100 || code > 599) {
    throw new TsgiSpecError('response.status', `a status code is an integer from 100 to 599, got ${code}`)
  }
  return `${code} ${statusText(code)}`
}
