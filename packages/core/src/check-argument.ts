import { TsgiArgumentError } from './errors.ts'

/** A short description of a value for an argument error: `a number (5)`, `null`, `an array`. */
export function describeArgument(value: unknown): string {
  if (value === null) return 'null'
  if (value === undefined) return 'undefined'
  if (Array.isArray(value)) return 'an array'
  if (typeof value === 'string') return `a string (${JSON.stringify(value.slice(0, 40))})`
  if (typeof value === 'function') return 'a function'
  if (typeof value === 'object') return 'an object'
  return `a ${typeof value} (${String(value)})`
}

/** Throws unless `value` is a plain object (not null, not an array). */
export function checkObject(value: unknown, what: string): asserts value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new TsgiArgumentError(`${what} must be an object, got ${describeArgument(value)}`)
  }
}

/** Throws unless `value` is a function. */
export function checkFunction(value: unknown, what: string, shape: string): void {
  if (typeof value !== 'function') {
    throw new TsgiArgumentError(`${what} must be ${shape}, got ${describeArgument(value)}`)
  }
}

/**
 * Throws when `options` has a key not in `known`, listing the known ones: a misspelt option would
 * otherwise be ignored without a word.
 */
export function checkKnownKeys(
  options: Record<string, unknown>,
  known: readonly string[],
  what: string,
): void {
  for (const key of Object.keys(options)) {
    if (!known.includes(key)) {
      throw new TsgiArgumentError(`${what} has no option ${key} (it takes ${known.join(', ')})`)
    }
  }
}

/** Whether `value` is bytes, text or an async iterable of chunks: a request body a test can give. */
export function isBodySource(value: unknown): boolean {
  return (
    typeof value === 'string' ||
    value instanceof Uint8Array ||
    typeof (value as AsyncIterable<unknown> | null)?.[Symbol.asyncIterator] === 'function'
  )
}
