import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { expect, it } from 'vitest'

const SRC = new URL('../src/', import.meta.url).pathname

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) return sources(path)
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [path] : []
  })
}

// DESIGN.md: nothing in core imports node:net, node:http, a framework or another package, so it
// runs wherever a gateway app runs. Only relative imports are allowed in shipped code.
it('core source imports nothing but its own files', () => {
  const imports = sources(SRC).flatMap((file) =>
    [...readFileSync(file, 'utf8').matchAll(/(?:from|import)\s*\(?\s*'([^']+)'/g)].map(([, specifier]) => ({
      file: file.slice(SRC.length),
      specifier,
    })),
  )
  expect(imports.length).toBeGreaterThan(10)
  expect(
    imports.filter(({ specifier }) => !specifier!.startsWith('./') && !specifier!.startsWith('../')),
  ).toEqual([])
})
