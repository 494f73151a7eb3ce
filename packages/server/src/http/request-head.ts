import {
  BareLineFeedError,
  HeaderFieldTooLargeError,
  RequestLineTooLongError,
  TooManyHeadersError,
} from '../errors.ts'
import type { Limits } from '../limits.ts'
import { parseFieldLine } from './field-line.ts'
import { type RequestFraming, requestFraming } from './request-framing.ts'
import { parseRequestLine } from './request-line.ts'
import { latin1 } from './syntax.ts'
import { parseTarget, type Target } from './target.ts'

/** Everything the server needs from a request head, parsed and validated. */
export interface RequestHead {
  method: string
  /** The request-target exactly as received (`RAW_URI`). */
  rawTarget: string
  target: Target
  /** 0 for HTTP/1.0, 1 for HTTP/1.1. */
  minor: 0 | 1
  /** Header fields flat: `[name0, value0, name1, value1, ...]`, names as received, values OWS-trimmed. */
  headers: string[]
  framing: RequestFraming
}

/** The head limits `parseRequestHead` enforces. */
export type HeadLimits = Pick<Limits, 'maxRequestLineBytes' | 'maxHeaderCount' | 'maxHeaderFieldBytes'>

/**
 * Parses a complete request head: `bytes[start, end)` where `end` is just past the blank line.
 * Pure: bytes in, a `RequestHead` out, or a `ProtocolError` thrown (RFC 9112 §2-§6).
 * Line limits count the line with its CRLF, as gunicorn's do.
 * Lines end in CRLF only: RFC 9112 §2.2 lets a recipient accept a bare LF, tsgi does not,
 * because a bare LF that one hop accepts and another does not is a request-smuggling vector.
 */
export function parseRequestHead(
  bytes: Uint8Array,
  start: number,
  end: number,
  limits: HeadLimits,
): RequestHead {
  const text = latin1(bytes, start, end)
  if (!text.endsWith('\r\n\r\n')) throw new BareLineFeedError()
  const stop = text.length - 2 // the blank line's CRLF
  let eol = text.indexOf('\r\n')
  const line = text.slice(0, eol)
  const maxLine = limits.maxRequestLineBytes
  if (maxLine !== null && line.length + 2 > maxLine) throw new RequestLineTooLongError(maxLine)
  if (line.indexOf('\n') !== -1) throw new BareLineFeedError()
  const { method, target, minor } = parseRequestLine(line)
  const headers: string[] = []
  const maxField = limits.maxHeaderFieldBytes
  const maxCount = limits.maxHeaderCount
  let pos = eol + 2
  while (pos < stop) {
    eol = text.indexOf('\r\n', pos)
    const field = text.slice(pos, eol)
    if (maxField !== null && field.length + 2 > maxField) throw new HeaderFieldTooLargeError(maxField)
    parseFieldLine(field, headers)
    if (maxCount !== null && headers.length > maxCount * 2) throw new TooManyHeadersError(maxCount)
    pos = eol + 2
  }
  const parsedTarget = parseTarget(method, target)
  return {
    method,
    rawTarget: target,
    target: parsedTarget,
    minor,
    headers,
    framing: requestFraming(headers, minor),
  }
}
