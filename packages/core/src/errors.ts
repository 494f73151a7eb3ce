/**
 * The base of every error `@tsgi/core` throws. Callers branch on `code`, never on the message.
 *
 * @example
 * if (error instanceof TsgiError && error.code === 'TSGI_SPEC_VIOLATION') report(error)
 */
export class TsgiError extends Error {
  /** A stable, machine-readable code (listed in `ERRORS.md`). */
  readonly code: string

  constructor(message: string, code = 'TSGI_ERROR', options?: ErrorOptions) {
    super(message, options)
    this.name = 'TsgiError'
    this.code = code
  }
}

/**
 * A breach of the TSGI specification: `rule` is the stable rule id from `SPEC.md`
 * (`environ.path-info`, `response.start-once`, ...).
 */
export class TsgiSpecError extends TsgiError {
  /** The id of the broken rule, as written in `SPEC.md`. */
  readonly rule: string

  constructor(rule: string, message: string, options?: ErrorOptions) {
    super(message, 'TSGI_SPEC_VIOLATION', options)
    this.name = 'TsgiSpecError'
    this.rule = rule
  }
}

/**
 * A public function of the tsgi packages was called with an argument it cannot use: a value of
 * the wrong type, or an option it does not know (a misspelt name would otherwise be ignored).
 * Thrown at the call, before anything runs; the message names the function and what it got.
 *
 * @example
 * inject(app, { path: '/' }) // TsgiArgumentError: inject() request has no option path (it takes method, url, ...)
 */
export class TsgiArgumentError extends TsgiError {
  constructor(message: string) {
    super(message, 'TSGI_INVALID_ARGUMENT')
    this.name = 'TsgiArgumentError'
  }
}
