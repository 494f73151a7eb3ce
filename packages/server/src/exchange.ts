import { BodyTooLargeError, type ClientDisconnectedError } from './errors.ts'
import { type BodyDecoder, ContentLengthDecoder } from './http/body-decoder.ts'
import { ChunkedDecoder } from './http/chunked-decoder.ts'
import { httpDate } from './http/date.ts'
import type { RequestHead } from './http/request-head.ts'
import { PlanRequest } from './http/response-head.ts'
import { type InputSource, RequestInput } from './input.ts'
import { type ResponseSink, ResponseWriter } from './response.ts'
import type { ServerContext } from './server-context.ts'
import type { AccessLogEntry } from './server-options.ts'

const NO_BODY = new RequestInput(null)
NO_BODY.end()

/**
 * One request and its response, as the connection tracks them. A class, not an object literal
 * (docs/benchmarks.md, "Per-request objects").
 */
export class Exchange {
  /** Created on the first read of `tsgi.signal`. */
  controller: AbortController | null = null
  /** Set when the client went away (FIN or close) while this exchange ran: the signal's reason. */
  gone: ClientDisconnectedError | null = null
  continueSent = false
  /** Unread body bytes dropped after the response (see `maxDiscardBodyBytes`). */
  discarded = 0
  /** The access log has its line for this request. */
  logged = false
  /** The whole response was handed to the socket: a close after it is no disconnect. */
  finished = false

  readonly head: RequestHead
  /** What the response head depends on; `keepAlive` drops to false on graceful close. */
  readonly plan: PlanRequest
  /** null when the request has no body. */
  readonly decoder: BodyDecoder | null
  readonly input: RequestInput
  readonly writer: ResponseWriter
  readonly startTime: number
  readonly startHr: number
  readonly remoteAddress: string

  constructor(
    head: RequestHead,
    plan: PlanRequest,
    decoder: BodyDecoder | null,
    input: RequestInput,
    writer: ResponseWriter,
    startTime: number,
    startHr: number,
    remoteAddress: string,
  ) {
    this.head = head
    this.plan = plan
    this.decoder = decoder
    this.input = input
    this.writer = writer
    this.startTime = startTime
    this.startHr = startHr
    this.remoteAddress = remoteAddress
  }
}

/**
 * Sets up one exchange for a parsed head: the body decoder its framing calls for (413 up
 * front when a Content-Length is over `maxBodyBytes`), `tsgi.input`, and the response writer.
 */
export function openExchange(
  head: RequestHead,
  ctx: ServerContext,
  sink: ResponseSink,
  source: InputSource,
  remoteAddress: string,
): Exchange {
  const framing = head.framing
  const maxBody = ctx.limits.maxBodyBytes
  if (framing.body === 'length' && maxBody !== null && framing.contentLength > maxBody) {
    throw new BodyTooLargeError(maxBody)
  }
  const decoder =
    framing.body === 'length'
      ? new ContentLengthDecoder(framing.contentLength)
      : framing.body === 'chunked'
        ? new ChunkedDecoder(ctx.limits)
        : null
  // RFC 9110 §10.1.1: a response that goes out before 100 Continue leaves the client unsure
  // whether to send the body, so it says Connection: close; sending 100 Continue restores it.
  const keepAlive = framing.keepAlive && !ctx.closing && !(framing.expectContinue && decoder !== null)
  const plan = new PlanRequest(head.method === 'HEAD', head.minor, keepAlive, ctx.serverHeader, httpDate())
  return new Exchange(
    head,
    plan,
    decoder,
    decoder === null ? NO_BODY : new RequestInput(source),
    new ResponseWriter(sink, plan, ctx.errorLog),
    // Only the access log needs the clock.
    ctx.accessLog === null ? 0 : Date.now(),
    ctx.accessLog === null ? 0 : performance.now(),
    remoteAddress,
  )
}

/** The access-log line for a finished exchange. */
export function accessLogEntry(ex: Exchange, status: number): AccessLogEntry {
  const entry: AccessLogEntry = {
    remoteAddr: ex.remoteAddress,
    method: ex.head.method,
    target: ex.head.rawTarget,
    protocol: ex.head.protocol,
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
