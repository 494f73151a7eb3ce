import {
  ConflictingFramingError,
  DuplicateHostError,
  ExpectationFailedError,
  InvalidContentLengthError,
  InvalidHostError,
  InvalidTransferEncodingError,
  MissingHostError,
  UnsupportedTransferCodingError,
} from '../errors.ts'
import { isHostValue } from './host-value.ts'
import { TOKEN, trimOws } from './syntax.ts'

/**
 * What the header fields say about the body and the connection. A class, not an object literal
 * (docs/benchmarks.md, "Per-request objects").
 */
export class RequestFraming {
  /** `'none'`: no body (RFC 9112 §6.3 rule 7: a request with neither field has none). */
  readonly body: 'none' | 'length' | 'chunked'
  /** The Content-Length when `body === 'length'`, else 0. */
  readonly contentLength: number
  /** The connection may serve another request after this one. */
  readonly keepAlive: boolean
  /** `Expect: 100-continue` on HTTP/1.1 (RFC 9110 §10.1.1 tells a server to ignore it on 1.0). */
  readonly expectContinue: boolean
  /** The Host value, `null` when absent (only allowed on HTTP/1.0). */
  readonly host: string | null

  constructor(
    body: 'none' | 'length' | 'chunked',
    contentLength: number,
    keepAlive: boolean,
    expectContinue: boolean,
    host: string | null,
  ) {
    this.body = body
    this.contentLength = contentLength
    this.keepAlive = keepAlive
    this.expectContinue = expectContinue
    this.host = host
  }
}

const DIGITS = /^[0-9]+$/
// The last Host value found valid: a server sees the same few on every request.
let lastValidHost: string | null = null

/**
 * Derives body framing and connection semantics from the fields, rejecting every ambiguity
 * a request smuggler could use (RFC 9112 §6.1, §6.3; RFC 9110 §8.6; RFC 9112 §3.2).
 */
export function requestFraming(headers: string[], minor: 0 | 1): RequestFraming {
  let contentLength: string | null = null
  let transferEncoding: string | null = null
  let host: string | null = null
  let connection = ''
  let expect: string | null = null
  for (let i = 0; i < headers.length; i += 2) {
    const name = headers[i]!
    // Compare lower-cased names only when the length can match: most fields skip the allocation.
    switch (name.length) {
      case 4:
        if (name !== 'Host' && name.toLowerCase() !== 'host') break
        // RFC 9112 §3.2: more than one Host line is a 400.
        if (host !== null) throw new DuplicateHostError()
        host = headers[i + 1]!
        break
      case 14:
        if (name !== 'Content-Length' && name.toLowerCase() !== 'content-length') break
        // RFC 9110 §8.6 lets a recipient either reject repeated Content-Length lines or
        // collapse identical ones; tsgi rejects, as it rejects the list form "5, 5".
        if (contentLength !== null) throw new InvalidContentLengthError(`${contentLength}, ${headers[i + 1]}`)
        contentLength = headers[i + 1]!
        break
      case 17:
        if (name !== 'Transfer-Encoding' && name.toLowerCase() !== 'transfer-encoding') break
        transferEncoding =
          transferEncoding === null ? headers[i + 1]! : `${transferEncoding},${headers[i + 1]}`
        break
      case 10:
        if (name === 'Connection' || name.toLowerCase() === 'connection')
          connection =
            connection === ''
              ? headers[i + 1]!.toLowerCase()
              : `${connection},${headers[i + 1]!.toLowerCase()}`
        break
      case 6:
        if (name !== 'Expect' && name.toLowerCase() !== 'expect') break
        expect = expect === null ? headers[i + 1]! : `${expect},${headers[i + 1]}`
        break
    }
  }
  if (host === null && minor === 1) throw new MissingHostError()
  if (host !== null && host !== lastValidHost) {
    if (!isHostValue(host)) throw new InvalidHostError(host)
    lastValidHost = host
  }
  const keepAlive =
    minor === 1
      ? !hasToken(connection, 'close')
      : hasToken(connection, 'keep-alive') && !hasToken(connection, 'close')
  const expectContinue = minor === 1 && expect !== null && checkExpect(expect)
  if (transferEncoding !== null) {
    // RFC 9112 §6.1: TE and CL together is a smuggling vector; reject rather than pick one.
    if (contentLength !== null) throw new ConflictingFramingError()
    // RFC 9112 §6.1: Transfer-Encoding in an HTTP/1.0 message means faulty framing.
    if (minor === 0) throw new InvalidTransferEncodingError(transferEncoding)
    checkTransferEncoding(transferEncoding)
    return new RequestFraming('chunked', 0, keepAlive, expectContinue, host)
  }
  if (contentLength !== null) {
    // RFC 9110 §8.6: Content-Length = 1*DIGIT; signs, spaces, lists and overflow are invalid framing.
    if (!DIGITS.test(contentLength)) throw new InvalidContentLengthError(contentLength)
    const n = Number(contentLength)
    if (!Number.isSafeInteger(n)) throw new InvalidContentLengthError(contentLength)
    return new RequestFraming(n === 0 ? 'none' : 'length', n, keepAlive, expectContinue, host)
  }
  return new RequestFraming('none', 0, keepAlive, expectContinue, host)
}

function hasToken(list: string, token: string): boolean {
  if (list === '') return false
  // The usual single-token list, compared whole before splitting.
  if (list === token) return true
  if (list.indexOf(token) === -1) return false
  for (const part of list.split(',')) if (trimOws(part) === token) return true
  return false
}

/** `100-continue` is the only expectation (RFC 9110 §10.1.1); anything else is 417. */
function checkExpect(value: string): boolean {
  let cont = false
  for (const part of value.split(',')) {
    const v = trimOws(part).toLowerCase()
    if (v === '100-continue') cont = true
    else if (v !== '') throw new ExpectationFailedError(value)
  }
  return cont
}

/**
 * RFC 9112 §6.3 rule 4: in a request, chunked must be the final coding, and only once
 * (§7: chunked MUST NOT be applied twice), else 400. `identity` (withdrawn in RFC 7230) is
 * skipped as a no-op. Any other coding before chunked is well-formed but not decoded: 501.
 */
function checkTransferEncoding(value: string): void {
  const codings = value.split(',')
  let last = ''
  let unsupported: string | null = null
  let chunkedSeen = false
  for (const raw of codings) {
    const coding = trimOws(raw).toLowerCase()
    if (coding === '') continue // RFC 9110 §5.6.1: empty list elements are allowed and ignored
    if (!TOKEN.test(coding.split(';')[0]!.trimEnd())) throw new InvalidTransferEncodingError(value)
    if (chunkedSeen) throw new InvalidTransferEncodingError(value)
    if (coding === 'identity') continue
    if (coding === 'chunked') chunkedSeen = true
    else unsupported ??= coding
    last = coding
  }
  if (last !== 'chunked') throw new InvalidTransferEncodingError(value)
  if (unsupported !== null) throw new UnsupportedTransferCodingError(unsupported)
}
