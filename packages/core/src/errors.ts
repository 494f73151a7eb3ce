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
