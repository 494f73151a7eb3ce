import type { Reporter } from './reporter.ts'
import { show } from './reporter.ts'
import type { RuleId } from './rules.ts'

/** Checks the `tsgi.*` keys of an environ (the server's side of the call). */
export function checkTsgiKeys(e: Record<string, unknown>, r: Reporter): void {
  const key = (name: string, rule: RuleId, ok: (value: unknown) => boolean, expected: string): void => {
    if (name in e && e[name] !== undefined)
      r.check(ok(e[name]), rule, () => `environ['${name}'] ${expected}, got ${show(e[name])}`)
  }
  /** environ.version: `tsgi.version` is the array `[1, 0]`. */
  key(
    'tsgi.version',
    'environ.version',
    (v) => Array.isArray(v) && v.length === 2 && v[0] === 1 && v[1] === 0,
    'must be [1, 0]',
  )
  /** environ.url-scheme: `tsgi.url_scheme` is `'http'` or `'https'`. */
  key(
    'tsgi.url_scheme',
    'environ.url-scheme',
    (v) => v === 'http' || v === 'https',
    "must be 'http' or 'https'",
  )
  for (const flag of ['tsgi.multithread', 'tsgi.multiprocess', 'tsgi.run_once']) {
    /** environ.flags: `tsgi.multithread`, `tsgi.multiprocess` and `tsgi.run_once` are booleans. */
    key(flag, 'environ.flags', (v) => typeof v === 'boolean', 'must be a boolean')
  }
  /** environ.input: `tsgi.input` has `read`, `readline` and `[Symbol.asyncIterator]` methods. */
  key(
    'tsgi.input',
    'environ.input',
    (v) => hasMethods(v, ['read', 'readline', Symbol.asyncIterator]),
    'must have read(), readline() and [Symbol.asyncIterator]()',
  )
  /** environ.errors: `tsgi.errors` has `write`, `writelines` and `flush` methods. */
  key(
    'tsgi.errors',
    'environ.errors',
    (v) => hasMethods(v, ['write', 'writelines', 'flush']),
    'must have write(), writelines() and flush()',
  )
  /** environ.input-terminated: `tsgi.input_terminated`, when present, is a boolean. */
  key('tsgi.input_terminated', 'environ.input-terminated', (v) => typeof v === 'boolean', 'must be a boolean')
  /** environ.signal: `tsgi.signal`, when present, is an `AbortSignal`. */
  key('tsgi.signal', 'environ.signal', (v) => v instanceof AbortSignal, 'must be an AbortSignal')
  /** environ.early-hints: `tsgi.early_hints`, when present, is a function. */
  key('tsgi.early_hints', 'environ.early-hints', (v) => typeof v === 'function', 'must be a function')
}

function hasMethods(value: unknown, names: Array<string | symbol>): boolean {
  if (typeof value !== 'object' || value === null) return false
  return names.every((name) => typeof (value as Record<string | symbol, unknown>)[name] === 'function')
}
