import { TsgiError } from '@tsgi/core'

/**
 * `adapt()` was given something that is no app it knows (code `TSGI_NOT_AN_APP`). The
 * message names what was given in one line, e.g. `got a Promise (missing await?)`.
 */
export class NotAnAppError extends TsgiError {
  /** What was given, as described in the message (`'undefined'`, `'an object with keys a, b'`). */
  readonly given: string

  constructor(given: string) {
    super(
      `Expected an Express, Koa or Hono app, a fetch handler or a gateway app (environ, startResponse); got ${given}`,
      'TSGI_NOT_AN_APP',
    )
    this.name = 'NotAnAppError'
    this.given = given
  }
}

/** A short description of any value for an error message. */
export function describeValue(x: unknown): string {
  if (x === null) return 'null'
  if (x === undefined) return 'undefined'
  if (typeof x === 'function') {
    const name = x.name ? ` ${x.name}` : ''
    if (Function.prototype.toString.call(x).startsWith('class')) return `the class${name} (missing new?)`
    return `a function${name} with ${x.length} parameters`
  }
  if (typeof x !== 'object') return `a ${typeof x} (${String(x).slice(0, 40)})`
  if (typeof (x as PromiseLike<unknown>).then === 'function') return 'a Promise (missing await?)'
  if (Array.isArray(x)) return `an array of ${x.length}`
  const keys = Object.keys(x)
  if (keys.length === 0) return 'an empty object'
  const shown = keys.slice(0, 5).join(', ')
  return `an object with keys ${shown}${keys.length > 5 ? ', ...' : ''}`
}
