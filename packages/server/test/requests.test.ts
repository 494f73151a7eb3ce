import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { Limits } from '../src/limits.ts'
import { chunkings } from './helpers/chunkings.ts'
import { type ParsedRequest, parseStream } from './helpers/parse-stream.ts'

// Protocol cases are data: each fixture is a raw request file plus its expected outcome, fed
// through the pure parser and decoders whole, per line, per byte and at seeded random splits.
const DIR = join(import.meta.dirname, 'requests')

interface Expected {
  requests?: ParsedRequest[]
  code?: string
  status?: number
  limits?: Partial<Limits>
}

function fixtures(kind: 'valid' | 'invalid'): [string, Buffer, Expected][] {
  return readdirSync(join(DIR, kind))
    .filter((f) => f.endsWith('.http'))
    .sort()
    .map((f) => {
      const name = f.slice(0, -5)
      const raw = readFileSync(join(DIR, kind, f))
      const expected = JSON.parse(readFileSync(join(DIR, kind, `${name}.json`), 'utf8')) as Expected
      return [name, raw, expected]
    })
}

describe('valid requests', () => {
  for (const [name, raw, expected] of fixtures('valid')) {
    it(`parses ${name} in every chunking`, () => {
      for (const [how, pieces] of chunkings(raw)) {
        const result = parseStream(pieces, expected.limits)
        expect(result.error, `${how}`).toBeUndefined()
        expect(result.requests, `${how}`).toEqual(expected.requests)
      }
    })
  }
})

describe('invalid requests', () => {
  for (const [name, raw, expected] of fixtures('invalid')) {
    it(`rejects ${name} with ${expected.status} ${expected.code} in every chunking`, () => {
      for (const [how, pieces] of chunkings(raw)) {
        const result = parseStream(pieces, expected.limits)
        expect(result.error, `${how}`).toEqual({ code: expected.code, status: expected.status })
        expect(result.requests, `${how}`).toEqual(expected.requests ?? [])
      }
    })
  }
})
