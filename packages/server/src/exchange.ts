import type { BodyDecoder } from './http/body-decoder.ts'
import type { RequestHead } from './http/request-head.ts'
import type { PlanRequest } from './http/response-head.ts'
import type { RequestInput } from './input.ts'
import type { ResponseWriter } from './response.ts'
import type { AccessLogEntry } from './server-options.ts'

/** One request and its response, as the connection tracks them. */
export interface Exchange {
  head: RequestHead
  /** What the response head depends on; `keepAlive` drops to false on graceful close. */
  plan: PlanRequest
  /** null when the request has no body. */
  decoder: BodyDecoder | null
  input: RequestInput
  writer: ResponseWriter
  /** Created on the first read of `tsgi.signal`. */
  controller: AbortController | null
  continueSent: boolean
  /** Unread body bytes dropped after the response (see `maxDiscardBodyBytes`). */
  discarded: number
  startTime: number
  startHr: number
  remoteAddress: string
}

/** The access-log line for a finished exchange. */
export function accessLogEntry(ex: Exchange, status: number): AccessLogEntry {
  const entry: AccessLogEntry = {
    remoteAddr: ex.remoteAddress,
    method: ex.head.method,
    target: ex.head.rawTarget,
    protocol: ex.head.minor === 1 ? 'HTTP/1.1' : 'HTTP/1.0',
    status,
    bytes: ex.writer.bytesSent,
    durationMs: performance.now() - ex.startHr,
    startTime: new Date(ex.startTime),
  }
  const headers = ex.head.headers
  for (let i = 0; i < headers.length; i += 2) {
    const name = headers[i]!.toLowerCase()
    if (name === 'referer') entry.referer = headers[i + 1]!
    else if (name === 'user-agent') entry.userAgent = headers[i + 1]!
  }
  return entry
}
