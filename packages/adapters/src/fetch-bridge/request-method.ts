import { ForbiddenMethodError, UnrepresentableRequestError } from './unrepresentable-request.ts'

/** RFC 9110 §5.6.2 `token`: what a method must be. */
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/

/** Fetch standard "normalize a method": these six are upper-cased, any other method kept as sent. */
const NORMALISED = new Set(['DELETE', 'GET', 'HEAD', 'OPTIONS', 'POST', 'PUT'])

/** Fetch standard "forbidden method": a `Request` can never carry one. */
const FORBIDDEN_METHODS: ReadonlySet<string> = new Set(['CONNECT', 'TRACE', 'TRACK'])

/**
 * The method as `new Request(url, { method })` would store it. Where that constructor would throw,
 * an {@link UnrepresentableRequestError} (not a token) or a {@link ForbiddenMethodError}.
 */
export function requestMethod(method: string): string {
  if (method === 'GET' || method === 'POST') return method
  if (!TOKEN.test(method)) throw new UnrepresentableRequestError(`'${method}' is not a valid HTTP method`)
  const upper = method.toUpperCase()
  if (FORBIDDEN_METHODS.has(upper)) throw new ForbiddenMethodError(`'${method}' HTTP method is unsupported`)
  return NORMALISED.has(upper) ? upper : method
}
