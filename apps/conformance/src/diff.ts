import type { Observation, WayName } from './types.ts'

/** One field whose value differs from the native way's. */
export interface Difference {
  /** A dotted path into the observation, e.g. `response.headers.content-length`. */
  field: string
  /** The native way's value (JSON text), or `undefined` when it has no such field. */
  native: string | undefined
  got: string | undefined
}

/**
 * Fields a memory run cannot have or need not match: framing is the transport's job (PEP 3333:
 * hop-by-hop headers are the server's), so only framing-independent facts are compared.
 */
const MEMORY_EXEMPT = /(^|\.)(framing|interim|headers\.(connection|keep-alive|transfer-encoding))$/

/** Lists every field where `other` differs from `native`. */
export function diffObservations(native: Observation, other: Observation, way: WayName): Difference[] {
  const expected = flatten(native)
  const got = flatten(other)
  const differences: Difference[] = []
  for (const field of new Set([...expected.keys(), ...got.keys()])) {
    const [a, b] = [expected.get(field), got.get(field)]
    if (a === b) continue
    if (way === 'memory' && MEMORY_EXEMPT.test(field)) continue
    // Content-Length is compared when both sides have it; its absence alone is a framing choice.
    if (way === 'memory' && field.endsWith('headers.content-length') && (a === undefined || b === undefined))
      continue
    differences.push({ field, native: a, got: b })
  }
  return differences
}

/** `{ a: { b: [1, 2] } }` -> `a.b = "[1,2]"`; arrays of records are indexed (`responses.0.status`). */
export function flatten(value: unknown, prefix = '', out = new Map<string, string>()): Map<string, string> {
  const isRecord = (item: unknown): boolean => typeof item === 'object' && item !== null
  if (Array.isArray(value) && value.some(isRecord)) {
    for (const [index, item] of value.entries()) flatten(item, `${prefix}${index}.`, out)
  } else if (isRecord(value) && !Array.isArray(value)) {
    for (const [key, item] of Object.entries(value as Record<string, unknown>))
      flatten(item, `${prefix}${key}.`, out)
  } else {
    out.set(prefix.slice(0, -1), JSON.stringify(value))
  }
  return out
}
