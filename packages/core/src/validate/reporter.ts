import { writeStderr } from '../error-stream.ts'
import { TsgiSpecError } from '../errors.ts'
import type { ErrorStream } from '../types.ts'
import { RULES, type RuleId } from './rules.ts'

/** What `validate` does with a violation: throw `TsgiSpecError`, or write one line to `tsgi.errors`. */
export type OnViolation = 'throw' | 'report'

/**
 * Turns failed checks into errors or report lines. In `report` mode nothing is thrown and
 * nothing the server or app sees changes; each violation becomes one line on the
 * server's own `tsgi.errors` (or standard error when the environ has none usable).
 */
export class Reporter {
  #mode: OnViolation
  #errors: ErrorStream | undefined
  #reported = new Set<RuleId>()

  constructor(mode: OnViolation, errors: unknown) {
    this.#mode = mode
    this.#errors =
      typeof (errors as ErrorStream | undefined)?.write === 'function' ? (errors as ErrorStream) : undefined
  }

  /** True when violations are reported, not thrown: wrappers then pass everything through unchanged. */
  get reporting(): boolean {
    return this.#mode === 'report'
  }

  /** Records that `rule` failed: throws in `throw` mode, writes a line in `report` mode. */
  fail(rule: RuleId, message: string): void {
    if (this.#mode === 'throw') throw new TsgiSpecError(rule, message)
    // One line per rule per request: a chunk loop must not flood the log.
    if (this.#reported.has(rule)) return
    this.#reported.add(rule)
    const line = `tsgi validate: ${RULES[rule]} broke ${rule}: ${message.replace(/[\r\n]+/g, ' ')}\n`
    if (this.#errors) this.#errors.write(line)
    else writeStderr(line)
  }

  /** `fail(rule, message())` unless `ok`; the message is built only on failure. */
  check(ok: boolean, rule: RuleId, message: () => string): boolean {
    if (!ok) this.fail(rule, message())
    return ok
  }
}

/** A value as it should appear in a violation message: strings quoted, objects named. */
export function show(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value)
  if (value === null || value === undefined) return String(value)
  if (value instanceof Uint8Array) return `a ${value.constructor.name}`
  if (Array.isArray(value)) return 'an array'
  if (typeof value === 'object') return `a ${value.constructor?.name ?? 'null-prototype object'}`
  if (typeof value === 'function') return 'a function'
  return `${typeof value} ${String(value)}`
}
