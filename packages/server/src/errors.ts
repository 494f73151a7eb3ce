/**
 * Every error the server raises, one class per way things go wrong. Callers branch on
 * `code`, never on `message`. Protocol errors carry the HTTP `status` they answer with.
 * `ERRORS.md` lists the same table; `test/errors.test.ts` keeps the two in sync.
 */
import { show } from './show.ts'

/** The base of all server errors: a stable `code`, and the HTTP `status` it answers with. */
export class TsgiServerError extends Error {
  override readonly name: string = 'TsgiServerError'
  readonly code: string = 'TSGI_SERVER_ERROR'
  readonly status: number = 500
}

/** A bad request: the server answers `status` with `Connection: close`, the app never sees it. */
export class ProtocolError extends TsgiServerError {
  override readonly name: string = 'ProtocolError'
  override readonly code: string = 'TSGI_PROTOCOL_ERROR'
  override readonly status: number = 400
}

/** Request line longer than `maxRequestLineBytes`. */
export class RequestLineTooLongError extends ProtocolError {
  override readonly code = 'TSGI_REQUEST_LINE_TOO_LONG'
  override readonly status = 414
  override readonly name = 'RequestLineTooLongError'
  constructor(limit: number) {
    super(`request line longer than ${limit} bytes`)
  }
}

/** One header (or trailer) field line longer than `maxHeaderFieldBytes`. */
export class HeaderFieldTooLargeError extends ProtocolError {
  override readonly code = 'TSGI_HEADER_FIELD_TOO_LARGE'
  override readonly status = 431
  override readonly name = 'HeaderFieldTooLargeError'
  constructor(limit: number) {
    super(`header field longer than ${limit} bytes`)
  }
}

/** More header (or trailer) fields than `maxHeaderCount`. */
export class TooManyHeadersError extends ProtocolError {
  override readonly code = 'TSGI_TOO_MANY_HEADERS'
  override readonly status = 431
  override readonly name = 'TooManyHeadersError'
  constructor(limit: number) {
    super(`more than ${limit} header fields`)
  }
}

/** Request body larger than `maxBodyBytes`. */
export class BodyTooLargeError extends ProtocolError {
  override readonly code = 'TSGI_BODY_TOO_LARGE'
  override readonly status = 413
  override readonly name = 'BodyTooLargeError'
  constructor(limit: number) {
    super(`request body larger than ${limit} bytes`)
  }
}

/** A request line that is not `method SP request-target SP HTTP-version`. */
export class InvalidRequestLineError extends ProtocolError {
  override readonly code = 'TSGI_INVALID_REQUEST_LINE'
  override readonly name = 'InvalidRequestLineError'
  constructor(line: string) {
    super(`invalid request line ${show(line)}`)
  }
}

/** A method that is not a token (RFC 9110 §9.1). */
export class InvalidMethodError extends ProtocolError {
  override readonly code = 'TSGI_INVALID_METHOD'
  override readonly name = 'InvalidMethodError'
  constructor(method: string) {
    super(`invalid method ${show(method)}`)
  }
}

/** A request-target that is none of the four forms of RFC 9112 §3.2, or the wrong form for the method. */
export class InvalidTargetError extends ProtocolError {
  override readonly code = 'TSGI_INVALID_TARGET'
  override readonly name = 'InvalidTargetError'
  constructor(target: string) {
    super(`invalid request-target ${show(target)}`)
  }
}

/** An HTTP-version that does not match `HTTP/DIGIT.DIGIT` (RFC 9112 §2.3). */
export class InvalidVersionError extends ProtocolError {
  override readonly code = 'TSGI_INVALID_VERSION'
  override readonly name = 'InvalidVersionError'
  constructor(version: string) {
    super(`invalid HTTP version ${show(version)}`)
  }
}

/** A well-formed version other than HTTP/1.0 and HTTP/1.1. */
export class UnsupportedVersionError extends ProtocolError {
  override readonly code = 'TSGI_UNSUPPORTED_VERSION'
  override readonly status = 505
  override readonly name = 'UnsupportedVersionError'
  constructor(version: string) {
    super(`unsupported HTTP version ${show(version)}`)
  }
}

/** A field name that is empty or not a token, or whitespace before the colon (RFC 9112 §5.1). */
export class InvalidHeaderNameError extends ProtocolError {
  override readonly code = 'TSGI_INVALID_HEADER_NAME'
  override readonly name = 'InvalidHeaderNameError'
  constructor(line: string) {
    super(`invalid header field name in ${show(line)}`)
  }
}

/** A field value with a control byte (NUL, CR, LF, DEL, ...), or a line without a colon. */
export class InvalidHeaderValueError extends ProtocolError {
  override readonly code = 'TSGI_INVALID_HEADER_VALUE'
  override readonly name = 'InvalidHeaderValueError'
  constructor(line: string) {
    super(`invalid header field ${show(line)}`)
  }
}

/** A line ended by LF alone: tsgi accepts CRLF only (RFC 9112 §2.2 allows either; a mismatch smuggles). */
export class BareLineFeedError extends ProtocolError {
  override readonly code = 'TSGI_BARE_LF'
  override readonly name = 'BareLineFeedError'
  constructor() {
    super('line terminated by a bare LF')
  }
}

/** A line folded onto the previous one (obs-fold, RFC 9112 §5.2). */
export class ObsoleteFoldingError extends ProtocolError {
  override readonly code = 'TSGI_OBSOLETE_FOLDING'
  override readonly name = 'ObsoleteFoldingError'
  constructor(line: string) {
    super(`obsolete line folding in ${show(line)}`)
  }
}

/** A Content-Length that is not one plain decimal number (RFC 9110 §8.6, RFC 9112 §6.3). */
export class InvalidContentLengthError extends ProtocolError {
  override readonly code = 'TSGI_INVALID_CONTENT_LENGTH'
  override readonly name = 'InvalidContentLengthError'
  constructor(value: string) {
    super(`invalid Content-Length ${show(value)}`)
  }
}

/** Both Content-Length and Transfer-Encoding (RFC 9112 §6.1: a smuggling vector). */
export class ConflictingFramingError extends ProtocolError {
  override readonly code = 'TSGI_CONFLICTING_FRAMING'
  override readonly name = 'ConflictingFramingError'
  constructor() {
    super('request has both Content-Length and Transfer-Encoding')
  }
}

/** Transfer-Encoding malformed, without chunked last, chunked twice, or on HTTP/1.0. */
export class InvalidTransferEncodingError extends ProtocolError {
  override readonly code = 'TSGI_INVALID_TRANSFER_ENCODING'
  override readonly name = 'InvalidTransferEncodingError'
  constructor(value: string) {
    super(`invalid Transfer-Encoding ${show(value)}`)
  }
}

/** A well-formed transfer coding the server does not decode (RFC 9112 §6.1: 501). */
export class UnsupportedTransferCodingError extends ProtocolError {
  override readonly code = 'TSGI_UNSUPPORTED_TRANSFER_CODING'
  override readonly status = 501
  override readonly name = 'UnsupportedTransferCodingError'
  constructor(coding: string) {
    super(`unsupported transfer coding ${show(coding)}`)
  }
}

/** An HTTP/1.1 request without Host (RFC 9112 §3.2). */
export class MissingHostError extends ProtocolError {
  override readonly code = 'TSGI_MISSING_HOST'
  override readonly name = 'MissingHostError'
  constructor() {
    super('HTTP/1.1 request without Host')
  }
}

/** More than one Host field line (RFC 9112 §3.2). */
export class DuplicateHostError extends ProtocolError {
  override readonly code = 'TSGI_DUPLICATE_HOST'
  override readonly name = 'DuplicateHostError'
  constructor() {
    super('request with more than one Host')
  }
}

/** A Host value that is not `uri-host [ ":" port ]` (RFC 9110 §7.2). */
export class InvalidHostError extends ProtocolError {
  override readonly code = 'TSGI_INVALID_HOST'
  override readonly name = 'InvalidHostError'
  constructor(value: string) {
    super(`invalid Host ${show(value)}`)
  }
}

/** A chunk-size line that is not 1*HEXDIG (no sign, space, `0x`, or overflow). */
export class InvalidChunkSizeError extends ProtocolError {
  override readonly code = 'TSGI_INVALID_CHUNK_SIZE'
  override readonly name = 'InvalidChunkSizeError'
  constructor(line: string) {
    super(`invalid chunk size line ${show(line)}`)
  }
}

/** A chunk extension that is not `;name[=value]` (RFC 9112 §7.1.1), bare CR included. */
export class InvalidChunkExtensionError extends ProtocolError {
  override readonly code = 'TSGI_INVALID_CHUNK_EXTENSION'
  override readonly name = 'InvalidChunkExtensionError'
  constructor(line: string) {
    super(`invalid chunk extension in ${show(line)}`)
  }
}

/** Chunk data not followed by CRLF. */
export class MissingChunkTerminatorError extends ProtocolError {
  override readonly code = 'TSGI_MISSING_CHUNK_CRLF'
  override readonly name = 'MissingChunkTerminatorError'
  constructor() {
    super('chunk data not followed by CRLF')
  }
}

/** A trailer field that controls framing, routing or the connection (RFC 9110 §6.5.1). */
export class ForbiddenTrailerError extends ProtocolError {
  override readonly code = 'TSGI_FORBIDDEN_TRAILER'
  override readonly name = 'ForbiddenTrailerError'
  constructor(name: string) {
    super(`forbidden trailer field ${show(name)}`)
  }
}

/** The client closed the connection in the middle of the request body. */
export class IncompleteBodyError extends ProtocolError {
  override readonly code = 'TSGI_INCOMPLETE_BODY'
  override readonly name = 'IncompleteBodyError'
  constructor() {
    super('connection closed before the end of the request body')
  }
}

/** An `Expect` other than `100-continue` (RFC 9110 §10.1.1: 417). */
export class ExpectationFailedError extends ProtocolError {
  override readonly code = 'TSGI_EXPECTATION_FAILED'
  override readonly status = 417
  override readonly name = 'ExpectationFailedError'
  constructor(value: string) {
    super(`unsupported expectation ${show(value)}`)
  }
}

/** CONNECT: tsgi is an origin server, not a tunnelling proxy (RFC 9110 §9.3.6). */
export class ConnectNotSupportedError extends ProtocolError {
  override readonly code = 'TSGI_CONNECT_NOT_SUPPORTED'
  override readonly status = 501
  override readonly name = 'ConnectNotSupportedError'
  constructor() {
    super('CONNECT is not supported')
  }
}

/** The request head did not arrive within `headersTimeoutMs`. */
export class HeadersTimeoutError extends ProtocolError {
  override readonly code = 'TSGI_HEADERS_TIMEOUT'
  override readonly status = 408
  override readonly name = 'HeadersTimeoutError'
  constructor(ms: number) {
    super(`request head not complete within ${ms} ms`)
  }
}

/** The client sent no body bytes for `bodyReadTimeoutMs` while the app waited for them. */
export class BodyTimeoutError extends ProtocolError {
  override readonly code = 'TSGI_BODY_TIMEOUT'
  override readonly status = 408
  override readonly name = 'BodyTimeoutError'
  constructor(ms: number) {
    super(`no request body bytes for ${ms} ms`)
  }
}

/** The client went away (FIN or reset): `tsgi.signal`'s reason; `tsgi.input` reads reject with it. */
export class ClientDisconnectedError extends TsgiServerError {
  override readonly code = 'TSGI_CLIENT_DISCONNECTED'
  override readonly status = 499
  override readonly name = 'ClientDisconnectedError'
  constructor() {
    super('the client closed the connection')
  }
}

/**
 * `tsgi.input` read after the response ended while the body was unfinished: the server took the
 * input back and discards the rest (SPEC 4, under `input.no-close`), so the read fails rather
 * than end as if the body were whole. Never answered: the response is over.
 */
export class InputAfterResponseError extends TsgiServerError {
  override readonly code = 'TSGI_INPUT_AFTER_RESPONSE'
  override readonly status = 500
  override readonly name = 'InputAfterResponseError'
  constructor() {
    super('tsgi.input read after the response ended: the server discarded the rest of the body')
  }
}

/** The app broke the gateway contract: bad status, bad header, no startResponse. Answers 500. */
export class AppResponseError extends TsgiServerError {
  override readonly code = 'TSGI_INVALID_RESPONSE'
  override readonly status = 500
  override readonly name = 'AppResponseError'
}

/** `startResponse` called a second time without `excInfo`. */
export class StartResponseTwiceError extends TsgiServerError {
  override readonly code = 'TSGI_START_RESPONSE_TWICE'
  override readonly status = 500
  override readonly name = 'StartResponseTwiceError'
  constructor() {
    super('startResponse called twice without excInfo')
  }
}

/** A limit value that is wrong for its row (negative, fractional, unknown name). */
export class InvalidLimitError extends TsgiServerError {
  override readonly code = 'TSGI_INVALID_LIMIT'
  override readonly name = 'InvalidLimitError'
  readonly limit: string
  constructor(limit: string, value: unknown) {
    super(`limit ${limit} must be a non-negative integer or null, got ${String(value)}`)
    this.limit = limit
  }
}

/** A `serverHeader` option that is no field value: a CR or LF in it would inject header lines. */
export class InvalidServerHeaderError extends TsgiServerError {
  override readonly code = 'TSGI_INVALID_SERVER_HEADER'
  override readonly name = 'InvalidServerHeaderError'
  constructor(value: string) {
    super(`serverHeader ${JSON.stringify(value)} holds a control byte or a character above U+00FF`)
  }
}

/** `serve()` given something that is not an app, or an option it does not know or of the wrong type. */
export class InvalidOptionError extends TsgiServerError {
  override readonly code = 'TSGI_INVALID_OPTION'
  override readonly name = 'InvalidOptionError'
}

/** A `bind` address that is not `HOST:PORT`, `[v6]:PORT` or `unix:/path`. */
export class InvalidBindError extends TsgiServerError {
  override readonly code = 'TSGI_INVALID_BIND'
  override readonly name = 'InvalidBindError'
  constructor(bind: string) {
    super(`invalid bind address ${JSON.stringify(bind)}: expected HOST:PORT, [IPv6]:PORT or unix:/path`)
  }
}
