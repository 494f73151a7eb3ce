/**
 * The request cannot be made a fetch `Request`: its method is not a token, its target is no URL
 * (`*`, authority-form), or its URL does not parse or carries credentials. The client's doing, which the bridge answers with 400; any other
 * failure while building the `Request` is the adapter's own and is not turned into a response.
 * A `TypeError`, as the `Request` constructor's own refusal is.
 */
export class UnrepresentableRequestError extends TypeError {
  override readonly name: string = 'UnrepresentableRequestError'
}

/**
 * A method no `Request` can carry (Fetch standard "forbidden method": CONNECT, TRACK): the
 * origin does not implement it, so 501 (RFC 9110 §9.1).
 */
export class ForbiddenMethodError extends UnrepresentableRequestError {
  override readonly name: string = 'ForbiddenMethodError'
}
