import { describe, expect, it } from 'vitest'
import { parseFieldLine } from '../src/http/field-line.ts'
import { parseRequestHead } from '../src/http/request-head.ts'
import { resolveLimits } from '../src/limits.ts'
import { seededRandom } from './helpers/chunkings.ts'

// parseRequestHead checks a whole field section with one regex and, only when that fails,
// parses it line by line to name the error. The two must agree on every input: here they are
// compared against parseFieldLine, the per-line rule, on seeded random field sections built
// from the bytes the rules are about.
const ALPHABET = [
  'a',
  'Z',
  '0',
  '-',
  '!',
  '~',
  ':',
  ' ',
  '\t',
  '\r',
  '\n',
  '\x00',
  '\x1f',
  '\x7f',
  '\x80',
  '\xff',
  ',',
  '"',
]
// The bytes a field value may hold.
const VALUE_BYTES = ['a', 'Z', '0', ' ', '\t', ':', ',', '"', '\x80', '\xff']
const limits = resolveLimits({ maxHeaderFieldBytes: 40, maxHeaderCount: 6 })

function randomLine(random: () => number): string {
  // Mostly well-formed `name: value`, so the random bytes land in every position.
  let name = ''
  for (let n = Math.floor(random() * 6); n > 0; n--) name += ALPHABET[Math.floor(random() * 5)]
  let value = ''
  for (let n = Math.floor(random() * 40); n > 0; n--)
    value +=
      random() < 0.9
        ? VALUE_BYTES[Math.floor(random() * VALUE_BYTES.length)]
        : ALPHABET[Math.floor(random() * ALPHABET.length)]
  const line = random() < 0.8 ? `${name}:${value}` : `${name}${value}`
  if (random() < 0.6) return line
  // One arbitrary byte anywhere, to reach names and separators too.
  const at = Math.floor(random() * (line.length + 1))
  return line.slice(0, at) + ALPHABET[Math.floor(random() * ALPHABET.length)] + line.slice(at)
}

/** What the per-line rule says about `lines`: the fields, or the code of the first error. */
function reference(lines: string[]): string[] | string {
  const headers: string[] = []
  try {
    for (const line of lines) {
      if (line.length + 2 > limits.maxHeaderFieldBytes!) return 'TSGI_HEADER_FIELD_TOO_LARGE'
      parseFieldLine(line, headers)
      if (headers.length > limits.maxHeaderCount! * 2) return 'TSGI_TOO_MANY_HEADERS'
    }
  } catch (error) {
    return (error as { code: string }).code
  }
  return headers
}

function parsed(lines: string[]): string[] | string {
  const bytes = Buffer.from(
    `GET / HTTP/1.1\r\n${lines.map((l) => `${l}\r\n`).join('')}Host: x\r\n\r\n`,
    'latin1',
  )
  try {
    return parseRequestHead(bytes, 0, bytes.length, limits).headers.slice(0, -2)
  } catch (error) {
    return (error as { code: string }).code
  }
}

describe('field section parsing', () => {
  it('agrees with the per-line rule on 20000 seeded random field sections', () => {
    const random = seededRandom(20261126)
    let good = 0
    const seen = new Set<string>()
    for (let i = 0; i < 20000; i++) {
      // A bare CR or LF would split the line differently in the full head: keep those inside
      // the line only where the reference sees the same line.
      const lines = Array.from({ length: 1 + Math.floor(random() * 7) }, () => randomLine(random)).filter(
        (l) => !l.includes('\r\n'),
      )
      let expected = reference(lines)
      // The Host line appended after them counts towards the header limit too.
      if (Array.isArray(expected) && expected.length + 2 > limits.maxHeaderCount! * 2)
        expected = 'TSGI_TOO_MANY_HEADERS'
      const actual = parsed(lines)
      expect(actual, `seed case ${i}: ${JSON.stringify(lines)}`).toEqual(expected)
      if (Array.isArray(actual)) good++
      else seen.add(actual)
    }
    // Both paths were exercised: many sections pass, many fail, each way a section can fail.
    expect(good).toBeGreaterThan(1000)
    expect(good).toBeLessThan(18000)
    expect([...seen].sort()).toEqual([
      'TSGI_HEADER_FIELD_TOO_LARGE',
      'TSGI_INVALID_HEADER_NAME',
      'TSGI_INVALID_HEADER_VALUE',
      'TSGI_OBSOLETE_FOLDING',
      'TSGI_TOO_MANY_HEADERS',
    ])
  })
})
