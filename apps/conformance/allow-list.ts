/**
 * The only place a difference between the ways may be excused. Each entry names where it applies
 * (`*` is a wildcard in every field) and why the difference is legitimate. A difference caused by a
 * bug is listed only with a reason starting "BUG:", so it stays visible in `docs/conformance.md`.
 */
export interface AllowEntry {
  /** Scenario name pattern, e.g. `wire: *`. */
  scenario: string
  /** Framework pattern: `express5`, `koa*`, `*`. */
  framework: string
  /** `memory`, `tsgi` or `*` (the native way is the reference and never differs from itself). */
  way: string
  /** Field pattern in the observation, e.g. `*headers.keep-alive`. */
  field: string
  reason: string
}

/** Every excused difference, with its reason. */
export const ALLOW_LIST: readonly AllowEntry[] = []
