import type { Reporter } from './reporter.ts'

/** What `validate` knows about one request/response exchange while it runs. */
export interface Exchange {
  readonly r: Reporter
  /** REQUEST_METHOD, for the HEAD rule. */
  readonly method: unknown
  /** The status code of the last accepted `startResponse` call. */
  code: number | undefined
  /** True once `startResponse` was called. */
  started: boolean
  /** True once a non-empty chunk went to the server (so headers are on their way). */
  headersSent: boolean
  /** True once the server asked the body for its first chunk. */
  iterationBegan: boolean
  /** The declared `Content-Length`, if any. */
  declared: number | undefined
  /** Body bytes sent so far, through `write()` and the iterable. */
  bytes: number
}

/** A fresh exchange for a request. */
export function createExchange(r: Reporter, method: unknown): Exchange {
  return {
    r,
    method,
    code: undefined,
    started: false,
    headersSent: false,
    iterationBegan: false,
    declared: undefined,
    bytes: 0,
  }
}
