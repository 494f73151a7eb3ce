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

/**
 * Everything the server needs from a request head, parsed and validated. A class, not an object literal
 * (docs/benchmarks.md, "Per-request objects").
 */
export class RequestHead {
  readonly method: string
  /** The request-target exactly as received (`RAW_URI`). */
  readonly rawTarget: string
  readonly target: Target
  /** 0 for HTTP/1.0, 1 for HTTP/1.1 (and the higher minor versions, served as 1.1). */
  readonly minor: 0 | 1
  /** The version as received: `HTTP/1.1`, `HTTP/1.0`, or a higher `HTTP/1.x`. */
  readonly protocol: string
  /** Header fields flat: `[name0, value0, name1, value1, ...]`, names as received, values OWS-trimmed. */
  readonly headers: string[]
  readonly framing: RequestFraming

  constructor(
    method: string,
    rawTarget: string,
    target: Target,
    minor: 0 | 1,
    protocol: string,
    headers: string[],
    framing: RequestFraming,
  ) {
    this.method = method
    this.rawTarget = rawTarget
    this.target = target
    this.minor = minor
    this.protocol = protocol
    this.headers = headers
    this.framing = framing
  }
}

/**
 * A whole field section after the request line, each line checked as `parseFieldLine` does:
 * `token ":" value CRLF`, the value HTAB, SP, VCHAR or obs-text (RFC 9110 §5.5, RFC 9112 §5),
 * then the blank line. Sticky: tested from `lastIndex`, so the head is not sliced.
 */
const FIELD_LINES = /(?:[!#$%&'*+\-.^_`|~0-9A-Za-z]+:[\t\x20-\x7e\x80-\xff]*\r\n)*\r\n$/y

const isOws = (c: number): boolean => c === 32 || c === 9

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
  return parseRequestHeadText(latin1(bytes, start, end), limits)
}

/** {@link parseRequestHead} of a head already decoded: `text` is the latin-1 of exactly its bytes. */
export function parseRequestHeadText(text: string, limits: HeadLimits): RequestHead {
  if (!text.endsWith('\r\n\r\n')) throw new BareLineFeedError()
  const stop = text.length - 2 // the blank line's CRLF
  let eol = text.indexOf('\r\n')
  const line = text.slice(0, eol)
  const maxLine = limits.maxRequestLineBytes
  if (maxLine !== null && line.length + 2 > maxLine) throw new RequestLineTooLongError(maxLine)
  if (line.indexOf('\n') !== -1) throw new BareLineFeedError()
  const { method, target, minor, protocol } = parseRequestLine(line)
  const headers: string[] = []
  let pos = eol + 2
  // Fast path: one regex checks every field line at once; the per-line parse below then
  // needs no checks of its own. A head that fails it is parsed again line by line, which
  // names the line and the rule it breaks.
  FIELD_LINES.lastIndex = pos
  if (FIELD_LINES.test(text)) {
    const maxField = limits.maxHeaderFieldBytes
    const maxCount = limits.maxHeaderCount
    while (pos < stop) {
      eol = text.indexOf('\r\n', pos)
      if (maxField !== null && eol - pos + 2 > maxField) throw new HeaderFieldTooLargeError(maxField)
      const colon = text.indexOf(':', pos)
      let from = colon + 1
      let to = eol
      while (from < to && isOws(text.charCodeAt(from))) from++
      while (to > from && isOws(text.charCodeAt(to - 1))) to--
      headers.push(text.slice(pos, colon), text.slice(from, to))
      if (maxCount !== null && headers.length > maxCount * 2) throw new TooManyHeadersError(maxCount)
      pos = eol + 2
    }
  } else {
    parseFieldLines(text, pos, stop, limits, headers)
  }
  const parsedTarget = parseTarget(method, target)
  return new RequestHead(
    method,
    target,
    parsedTarget,
    minor,
    protocol,
    headers,
    requestFraming(headers, minor),
  )
}

/** The field lines of `text[pos, stop)` one by one: throws the error of the first bad one. */
function parseFieldLines(
  text: string,
  pos: number,
  stop: number,
  limits: HeadLimits,
  headers: string[],
): void {
  const maxField = limits.maxHeaderFieldBytes
  const maxCount = limits.maxHeaderCount
  while (pos < stop) {
    const eol = text.indexOf('\r\n', pos)
    const field = text.slice(pos, eol)
    if (maxField !== null && field.length + 2 > maxField) throw new HeaderFieldTooLargeError(maxField)
    parseFieldLine(field, headers)
    if (maxCount !== null && headers.length > maxCount * 2) throw new TooManyHeadersError(maxCount)
    pos = eol + 2
  }
}
