import { readFileSync, writeFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { markdownTables } from '../src/cli/usage.ts'

const path = new URL('../README.md', import.meta.url)

/** The generated block between `<!-- name:start ... -->` and `<!-- name:end -->`. */
const block = (name: string): RegExp =>
  new RegExp(`(<!-- ${name}:start[^\\n]*-->\\n)[\\s\\S]*?(\\n<!-- ${name}:end -->)`)

// `UPDATE_README=1 npx vitest run test/cli-readme.test.ts` rewrites the tables (like `-u`).
if (process.env.UPDATE_README) {
  let text = readFileSync(path, 'utf8')
  for (const [name, table] of Object.entries(markdownTables())) {
    text = text.replace(block(name), (_all, start: string, end: string) => `${start}${table}${end}`)
  }
  writeFileSync(path, text)
}

const readme = readFileSync(path, 'utf8')

describe('README', () => {
  it('lists every CLI option exactly as the option table says', () => {
    expect(readme.match(block('options'))?.[0]).toContain(markdownTables().options)
  })

  it('lists every limit with its flag, default and reason, from LIMITS', () => {
    expect(readme.match(block('limits'))?.[0]).toContain(markdownTables().limits)
  })
})
