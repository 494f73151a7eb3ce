/**
 * Errors the guestbook answers with a 4xx. Callers branch on `code`; `status` is the HTTP
 * status the error is answered with.
 */
export class GuestbookError extends Error {
  /** Stable machine-readable code, also sent in JSON error bodies. */
  readonly code: string
  /** The HTTP status this error is answered with. */
  readonly status: number

  constructor(code: string, status: number, message: string) {
    super(message)
    this.name = new.target.name
    this.code = code
    this.status = status
  }
}

/** The request body is not valid UTF-8 or not valid `application/x-www-form-urlencoded`. */
export class BadEncodingError extends GuestbookError {
  constructor(message: string) {
    super('bad_encoding', 400, message)
  }
}

/** The request body is not valid JSON, or not a JSON object. */
export class MalformedJsonError extends GuestbookError {
  constructor(message: string) {
    super('malformed_json', 400, message)
  }
}

/** The request body is larger than the guestbook accepts. */
export class BodyTooLargeError extends GuestbookError {
  constructor(limitBytes: number) {
    super('body_too_large', 413, `The request body is larger than ${limitBytes} bytes.`)
  }
}

/** The request's Content-Type is not the one the route accepts. */
export class UnsupportedMediaTypeError extends GuestbookError {
  constructor(expected: string) {
    super('unsupported_media_type', 415, `Send the body as ${expected}.`)
  }
}
