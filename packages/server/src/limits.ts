/**
 * Every limit the server enforces, as one table of data: name (with its unit), default,
 * CLI flag and the reason for the default. The CLI's flags and `--help`, and the docs,
 * are generated from this table; nothing else in the server hard-codes a limit.
 */

import { InvalidLimitError } from './errors.ts'

/** One row of the limits table. `default: null` means "no limit". */
export interface LimitSpec {
  default: number | null
  unit: 'bytes' | 'count' | 'ms'
  flag: string
  description: string
}

/** The limits table. Defaults follow gunicorn where it has the setting. */
export const LIMITS = {
  maxRequestLineBytes: {
    default: 4094,
    unit: 'bytes',
    flag: '--limit-request-line',
    description:
      'Longest request line (method, target, version), its CRLF included. Longer answers 414. ' +
      "gunicorn's default: bounds the memory one request line can pin.",
  },
  maxHeaderCount: {
    default: 100,
    unit: 'count',
    flag: '--limit-request-fields',
    description:
      'Most header fields in one request (and trailer fields in one chunked body). More answers 431. ' +
      "gunicorn's default: real clients send about 10-20.",
  },
  maxHeaderFieldBytes: {
    default: 8190,
    unit: 'bytes',
    flag: '--limit-request-field-size',
    description:
      'Longest header (or trailer) field line, "name: value" and its CRLF. Longer answers 431. ' +
      "gunicorn's default; large cookies and JWTs fit.",
  },
  maxBodyBytes: {
    default: null,
    unit: 'bytes',
    flag: '--limit-request-body',
    description:
      'Largest request body (Content-Length, or the decoded sum of chunks). Larger answers 413. ' +
      'Unlimited by default: tsgi.input streams with backpressure, so a large upload costs no memory, ' +
      'and the app knows its own limit (it can answer 413 before reading, thanks to lazy 100-continue).',
  },
  headersTimeoutMs: {
    default: 30_000,
    unit: 'ms',
    flag: '--headers-timeout',
    description:
      'Time from the first byte of a request to the end of its head. Exceeded answers 408 and closes: ' +
      'a deadline, not an idle timer, so a slowloris client trickling one byte at a time is cut off.',
  },
  keepAliveTimeoutMs: {
    default: 5_000,
    unit: 'ms',
    flag: '--keep-alive',
    description:
      'How long an idle keep-alive connection waits for the next request before it is closed silently. ' +
      "node:http's default: long enough for a browser's next request, short enough to free idle sockets.",
  },
  bodyReadTimeoutMs: {
    default: 30_000,
    unit: 'ms',
    flag: '--body-timeout',
    description:
      'Longest silence from the client while the app waits for request body bytes. Exceeded answers 408 ' +
      '(or cuts the connection once the response started). Not counted while the app itself is not reading.',
  },
  sendTimeoutMs: {
    default: 60_000,
    unit: 'ms',
    flag: '--send-timeout',
    description:
      'Longest wait for a client to take response bytes the server has queued (one that stops reading, ' +
      "or pipelines without reading). Exceeded cuts the connection. nginx's send_timeout: without it a " +
      'client that never reads would hold its connection, and a slot under the connection cap, forever.',
  },
  maxDiscardBodyBytes: {
    default: 1_048_576,
    unit: 'bytes',
    flag: '--limit-discard-body',
    description:
      'When the app answers without reading the whole body, the server reads and drops up to this much ' +
      'of the rest to keep the connection; a larger rest closes the connection instead.',
  },
  maxConnections: {
    default: 1000,
    unit: 'count',
    flag: '--max-connections',
    description:
      'Open client connections per process. A connection beyond it is closed at once, unread, so the ' +
      "client retries elsewhere; gunicorn's worker_connections default, below the usual 1024 fd limit.",
  },
  gracefulTimeoutMs: {
    default: 30_000,
    unit: 'ms',
    flag: '--graceful-timeout',
    description:
      'On close(), how long in-flight requests may run before their connections are cut. ' +
      "gunicorn's graceful_timeout default.",
  },
} as const satisfies Record<string, LimitSpec>

/** The name of one limit, e.g. `'maxHeaderCount'`. */
export type LimitName = keyof typeof LIMITS

/** Effective limits: a number, or `null` for unlimited. */
export type Limits = { [K in LimitName]: number | null }

/**
 * Fills the defaults in, and checks every value given.
 * @example resolveLimits({ headersTimeoutMs: 300 }).maxHeaderCount // 100
 */
export function resolveLimits(partial: Partial<Limits> = {}): Limits {
  const out = {} as Record<LimitName, number | null>
  for (const name of Object.keys(LIMITS) as LimitName[]) {
    const given = partial[name]
    const value = given === undefined ? LIMITS[name].default : given
    if (value !== null && !(Number.isSafeInteger(value) && value >= 0))
      throw new InvalidLimitError(name, value)
    out[name] = value
  }
  for (const name of Object.keys(partial)) {
    if (!(name in LIMITS)) throw new InvalidLimitError(name, 'an unknown limit name')
  }
  return out
}
