/**
 * One limit flag's value: a whole number in the row's unit, or `none`. A 0 is refused where it
 * would make the server answer nothing useful (every request line "too long", every connection
 * refused), since nobody means that; `none` is what lifts a limit. Where 0 means something
 * (no request body at all), it stays allowed.
 */
import type { LimitName } from '../limits.ts'
import { UsageError } from './usage-error.ts'

/**
 * What a 0 would do, for each limit where it cannot work; `null` where 0 is meaningful.
 * A `Record` over every name: a new row of the limits table does not compile until it says.
 */
export const ZERO_BREAKS: Record<LimitName, string | null> = {
  maxRequestLineBytes: 'would answer every request 414',
  maxHeaderCount: 'would answer every request 431 (an HTTP/1.1 request carries Host)',
  maxHeaderFieldBytes: 'would answer every request with a header field 431',
  maxBodyBytes: null, // no request may carry a body: 413
  headersTimeoutMs: 'would answer every request 408 before its head arrives',
  keepAliveTimeoutMs: 'would close every connection as soon as it is idle, new ones included',
  bodyReadTimeoutMs: 'would answer 408 whenever an app waits for request body bytes',
  sendTimeoutMs: 'would cut every response a client does not take at once',
  maxDiscardBodyBytes: null, // never read an unread body: close the connection instead
  maxConnections: 'would refuse every connection',
  gracefulTimeoutMs: null, // close() cuts in-flight requests at once
}

/**
 * Parses the text of `--<flag>` for the limit `name`: `null` for `none`, else a whole number.
 *
 * @example
 * parseLimitValue('maxBodyBytes', '0', '--limit-request-body') // 0
 * parseLimitValue('maxConnections', '0', '--max-connections') // throws: 0 would refuse every connection
 */
export function parseLimitValue(name: LimitName, text: string, flag: string): number | null {
  if (text === 'none') return null
  const value = /^\d+$/.test(text) ? Number(text) : Number.NaN
  if (!Number.isSafeInteger(value)) {
    throw new UsageError(`${flag}: '${text}' is not a whole number or 'none'`)
  }
  const breaks = ZERO_BREAKS[name]
  if (value === 0 && breaks !== null) {
    throw new UsageError(`${flag}: 0 ${breaks}; give a positive number, or 'none' to lift the limit`)
  }
  return value
}
