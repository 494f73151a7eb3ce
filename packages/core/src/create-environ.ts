import { checkObject, describeArgument, isBodySource } from './check-argument.ts'
import { createErrorBuffer, createStderrStream } from './error-stream.ts'
import { TsgiArgumentError } from './errors.ts'
import { createInputStream } from './input-stream.ts'
import type { Environ } from './types.ts'

/** What `createEnviron` accepts: any environ keys (an `undefined` value removes a default), plus a body. */
export interface EnvironInit extends Partial<Environ> {
  /** The request body for `tsgi.input`: text (UTF-8 encoded), bytes, or chunks (then `tsgi.input_terminated`). */
  body?: string | Uint8Array | AsyncIterable<Uint8Array>
  /** Where `tsgi.errors` goes unless given: an in-memory buffer (default) or standard error. */
  errors?: 'buffer' | 'stderr'
}

/**
 * A complete, valid environ for tests, in the manner of wsgiref's `setup_testing_defaults`: a `GET /`
 * to `http://127.0.0.1/` unless `init` says otherwise. The scheme is `https` when `HTTPS` is
 * `on`, `yes` or `1`; `SERVER_PORT` follows the scheme; `HTTP_HOST` defaults to `SERVER_NAME`.
 * A `body` given as text or bytes sets `CONTENT_LENGTH`.
 *
 * @example
 * const environ = createEnviron({ REQUEST_METHOD: 'POST', PATH_INFO: '/items', body: '{"a":1}' })
 */
export function createEnviron(init: EnvironInit = {}): Environ {
  checkObject(init, 'createEnviron() init')
  const { body, errors, ...keys } = init
  if (body !== undefined && !isBodySource(body)) {
    throw new TsgiArgumentError(
      `createEnviron() body must be a string, a Uint8Array or an async iterable of them, got ${describeArgument(body)}`,
    )
  }
  if (errors !== undefined && errors !== 'buffer' && errors !== 'stderr') {
    throw new TsgiArgumentError(
      `createEnviron() errors must be 'buffer' or 'stderr', got ${describeArgument(errors)}`,
    )
  }
  const serverName = keys.SERVER_NAME ?? '127.0.0.1'
  const scheme = keys['tsgi.url_scheme'] ?? guessScheme(keys)
  const bytes = typeof body === 'string' ? new TextEncoder().encode(body) : body
  const environ: Record<string, unknown> = {
    REQUEST_METHOD: 'GET',
    SCRIPT_NAME: '',
    PATH_INFO: 'SCRIPT_NAME' in keys && !('PATH_INFO' in keys) ? '' : '/',
    QUERY_STRING: '',
    SERVER_NAME: serverName,
    SERVER_PORT: scheme === 'https' ? '443' : '80',
    SERVER_PROTOCOL: 'HTTP/1.1',
    HTTP_HOST: serverName,
    ...(bytes instanceof Uint8Array ? { CONTENT_LENGTH: String(bytes.byteLength) } : {}),
    'tsgi.version': [1, 0] as const,
    'tsgi.url_scheme': scheme,
    'tsgi.input': createInputStream(bytes ?? new Uint8Array(0)),
    'tsgi.errors': errors === 'stderr' ? createStderrStream() : createErrorBuffer(),
    'tsgi.multithread': false,
    'tsgi.multiprocess': false,
    'tsgi.run_once': false,
    ...(bytes === undefined || bytes instanceof Uint8Array ? {} : { 'tsgi.input_terminated': true }),
    'tsgi.signal': new AbortController().signal,
    ...keys,
  }
  for (const [key, value] of Object.entries(environ)) {
    if (value === undefined) delete environ[key]
  }
  return environ as Environ
}

function guessScheme(keys: Partial<Environ>): 'http' | 'https' {
  const https = typeof keys.HTTPS === 'string' ? keys.HTTPS.toLowerCase() : ''
  return https === 'on' || https === 'yes' || https === '1' ? 'https' : 'http'
}
