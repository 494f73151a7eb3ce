import { checkFunction, checkKnownKeys, checkObject, describeArgument } from '../check-argument.ts'
import { TsgiArgumentError } from '../errors.ts'
import type { App, Body, EarlyHints, Environ, ErrorStream, InputStream, StartResponse } from '../types.ts'
import { checkedBody } from './body-rules.ts'
import { checkEnviron } from './environ-rules.ts'
import { createExchange } from './exchange.ts'
import { type OnViolation, Reporter } from './reporter.ts'
import { checkedEarlyHints, checkedStartResponse } from './response-rules.ts'
import { checkedErrors, checkedInput } from './stream-rules.ts'
import { isThenable } from './thenable.ts'

/** Options of `validate`. */
export interface ValidateOptions {
  /**
   * `'throw'` (default, for development and tests): a violation throws `TsgiSpecError` where it
   * happens. `'report'` (for live traffic): each violation becomes one line on `tsgi.errors` and
   * nothing the server or the app sees changes.
   */
  onViolation?: OnViolation
}

/**
 * Wraps a gateway app in a checker of both sides of every call, like wsgiref's `validator` and
 * `Rack::Lint`: the environ and the streams the server provides, and the status, headers,
 * `write` calls, body chunks and `close()` the app and server exchange. Each check is a rule of
 * `SPEC.md`; a violation names its rule (`TsgiSpecError.rule`).
 *
 * Put it between the server and the app (and, for middleware, on both sides of it).
 *
 * @example
 * serve(validate(app), { bind: ['127.0.0.1:8000'] })               // development: throw
 * serve(validate(app, { onViolation: 'report' }), options)        // production: log lines
 */
export function validate(app: App, options: ValidateOptions = {}): App {
  checkFunction(app, 'validate() app', 'a gateway app (environ, startResponse) => body')
  checkObject(options, 'validate() options')
  checkKnownKeys(options, ['onViolation'], 'validate() options')
  const mode = options.onViolation ?? 'throw'
  if (mode !== 'throw' && mode !== 'report') {
    throw new TsgiArgumentError(
      `validate() onViolation must be 'throw' or 'report', got ${describeArgument(mode)}`,
    )
  }
  // Two declared parameters, so the wrapper has the arity of the app it wraps (adapters detect by it).
  return function validated(
    environ: Environ,
    startResponse: StartResponse,
    ...extra: unknown[]
  ): Body | Promise<Body> {
    const e = (typeof environ === 'object' && environ !== null ? environ : {}) as Record<string, unknown>
    const errors = e['tsgi.errors']
    const r = new Reporter(mode, errors)
    /** app.call-args: the server calls the app with exactly two arguments, the environ and a startResponse function. */
    r.check(
      extra.length === 0 && typeof startResponse === 'function',
      'app.call-args',
      () => `the app takes (environ, startResponse), got ${2 + extra.length} arguments`,
    )
    checkEnviron(environ, r)
    const x = createExchange(r, e.REQUEST_METHOD)
    if (Object.isExtensible(e)) wrapStreams(e, x)
    const request = `${String(e.REQUEST_METHOD)} ${String(e.SCRIPT_NAME ?? '')}${String(e.PATH_INFO ?? '')}`
    const result: unknown = app(environ, checkedStartResponse(startResponse, x))
    if (isThenable(result))
      return Promise.resolve(result).then((body) => checkedBody(body, x, errors, request) as Body)
    return checkedBody(result, x, errors, request) as Body
  } as App
}

// Like wsgiref's validator, the environ is the server's object, changed in place: identity checks
// (an extension given `environ` back) keep working.
function wrapStreams(e: Record<string, unknown>, x: ReturnType<typeof createExchange>): void {
  const input = e['tsgi.input'] as InputStream | undefined
  if (typeof input?.read === 'function' && typeof input.readline === 'function') {
    e['tsgi.input'] = checkedInput(input, x, e.CONTENT_LENGTH)
  }
  const errors = e['tsgi.errors'] as ErrorStream | undefined
  if (typeof errors?.write === 'function' && typeof errors.writelines === 'function') {
    e['tsgi.errors'] = checkedErrors(errors, x)
  }
  const hints = e['tsgi.early_hints']
  if (typeof hints === 'function') e['tsgi.early_hints'] = checkedEarlyHints(hints as EarlyHints, x)
}
