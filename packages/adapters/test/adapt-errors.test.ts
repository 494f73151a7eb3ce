import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import * as adapters from '../src/index.ts'

/** The rows of the first table in ERRORS.md: `[code, class]`. */
function documented(): Array<[code: string, name: string]> {
  const markdown = readFileSync(new URL('../ERRORS.md', import.meta.url), 'utf8')
  const table = markdown.split('\n## ')[0]!
  return [...table.matchAll(/^\|\s*(`TSGI_[A-Z_]+`|—)\s*\|\s*`(\w+)`\s*\|/gm)].map(([, code, name]) => [
    code!.replaceAll('`', ''),
    name!,
  ])
}

type ErrorClass = new (...args: unknown[]) => Error & { code?: string }

const exportedErrors = Object.entries(adapters as Record<string, unknown>).filter(
  (entry): entry is [string, ErrorClass] =>
    typeof entry[1] === 'function' && (entry[1] as { prototype?: unknown }).prototype instanceof Error,
)

describe('ERRORS.md', () => {
  it('documents every exported error class, and only those', () => {
    expect(exportedErrors.length).toBeGreaterThan(0)
    expect(
      documented()
        .map(([, name]) => name)
        .sort(),
    ).toEqual(exportedErrors.map(([name]) => name).sort())
  })

  it.each(documented().filter(([code]) => code !== '—'))('%s is the code of %s', (code, name) => {
    const ErrorClass = (adapters as unknown as Record<string, ErrorClass>)[name]!
    const error = new ErrorClass('sample')
    expect(error.code).toBe(code)
    expect(error.name).toBe(name)
  })
})
