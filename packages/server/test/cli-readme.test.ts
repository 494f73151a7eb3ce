import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { markdownTables } from '../src/cli/usage.ts'

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8')

describe('README', () => {
  // On failure, regenerate: npx tsx -e "import('./src/cli/usage.ts').then(m => console.log(m.markdownTables()))"
  it('lists every CLI option exactly as the option table says', () => {
    expect(readme).toContain(markdownTables().options)
  })

  it('lists every limit with its flag, default and reason, from LIMITS', () => {
    expect(readme).toContain(markdownTables().limits)
  })
})
