import { TsgiArgumentError } from '@tsgi/core'
import { describeValue } from './not-an-app-error.ts'

/**
 * Throws `TsgiArgumentError` (`TSGI_INVALID_ARGUMENT`) unless `ok`: `expected` says what `fn`
 * takes, and the message adds what it got.
 *
 * @example
 * requireArgument(typeof app === 'function', app, 'fromFetch() expects a function (request) => Response')
 */
export function requireArgument(ok: boolean, given: unknown, expected: string): void {
  if (!ok) throw new TsgiArgumentError(`${expected}; got ${describeValue(given)}`)
}

/**
 * Throws `TsgiArgumentError` unless `options` is an object whose keys are all in `known`: a
 * misspelt option would otherwise be ignored without a word.
 */
export function checkOptions(options: unknown, known: readonly string[], fn: string): void {
  requireArgument(
    typeof options === 'object' && options !== null && !Array.isArray(options),
    options,
    `${fn} options must be an object`,
  )
  for (const key of Object.keys(options as object)) {
    if (known.includes(key)) continue
    const takes = known.length === 0 ? 'it takes none yet' : `it takes ${known.join(', ')}`
    throw new TsgiArgumentError(`${fn} has no option ${key} (${takes})`)
  }
}
