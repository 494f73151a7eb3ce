import { readdirSync, readFileSync } from 'node:fs'
import { expect, it } from 'vitest'
import { RULES } from '../src/validate/rules.ts'

// SPEC.md, the validator's rule list and the checks in its source must name the same rules:
// the validator is the spec (Rack::Lint's `##` lines play this part for Rack).
const spec = readFileSync(new URL('../SPEC.md', import.meta.url), 'utf8')
const sourceDir = new URL('../src/validate/', import.meta.url)
const sources = readdirSync(sourceDir)
  .filter((name) => name.endsWith('.ts') && !name.endsWith('.test.ts') && name !== 'rules.ts')
  .map((name) => readFileSync(new URL(name, sourceDir), 'utf8'))
  .join('\n')

const ID = /\*\*`([a-z][a-z0-9-]*\.[a-z0-9.-]+)`\*\*/g
const mentioned = new Set([...spec.matchAll(ID)].map(([, id]) => id!))
const definitions = [
  ...spec.matchAll(/^\s*- \*\*`([a-z][a-z0-9-]*\.[a-z0-9.-]+)`\*\*(?: \((server|app)\))?/gm),
]

it('SPEC.md defines exactly the rules validate() checks, plus the server.* wire rules', () => {
  const checked = [...mentioned].filter((id) => !id.startsWith('server.')).sort()
  expect(checked).toEqual(Object.keys(RULES).sort())
})

it('SPEC.md defines each rule once, as a list item naming the side that RULES names', () => {
  const ids = definitions.map(([, id]) => id!)
  expect(ids.length).toBe(new Set(ids).size)
  for (const [, id, side] of definitions) {
    if (id!.startsWith('server.')) expect(side).toBeUndefined()
    else expect([id, side]).toEqual([id, RULES[id as keyof typeof RULES]])
  }
  // server.* rules may be defined inline, in the sentence that states them.
  expect([...mentioned].filter((id) => !id.startsWith('server.') && !ids.includes(id))).toEqual([])
})

it('the validator states each rule in a doc comment and checks it under that id', () => {
  for (const id of Object.keys(RULES)) {
    expect(sources, `doc comment for ${id}`).toMatch(
      new RegExp(`/\\*\\*\\s*(\\*\\s*)?${id.replace('.', '\\.')}: `),
    )
    expect(sources, `check for ${id}`).toContain(`'${id}'`)
  }
  const used = new Set([...sources.matchAll(/'([a-z][a-z-]*\.[a-z-]+)'/g)].map(([, id]) => id!))
  expect([...used].filter((id) => id.includes('.') && !(id in RULES) && !id.startsWith('tsgi.'))).toEqual([])
})
