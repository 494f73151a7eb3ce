import { describe, expect, it } from 'vitest'
import { TsgiSpecError } from './errors.ts'
import { createInputStream } from './input-stream.ts'
import type { InputStream } from './types.ts'

const text = (bytes: Uint8Array): string => new TextDecoder().decode(bytes)
const bytes = (value: string): Uint8Array => new TextEncoder().encode(value)

/** A deterministic PRNG (mulberry32), so failures reproduce from the seed. */
function random(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = Math.imul(state ^ (state >>> 15), 1 | state)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** A source yielding `data` split at random points (empty chunks included), counting pulls. */
function chunked(data: Uint8Array, next: () => number): AsyncIterable<Uint8Array> & { pulls: number } {
  const source = {
    pulls: 0,
    async *[Symbol.asyncIterator]() {
      let at = 0
      while (at < data.byteLength) {
        const size = Math.floor(next() * 7)
        source.pulls += 1
        yield data.subarray(at, at + size)
        at += size
      }
    },
  }
  return source
}

const BODY = bytes('first line\nsecond\n\nfourth without end é and more bytes\nlast')

describe('under random chunkings', () => {
  for (let seed = 1; seed <= 40; seed++) {
    it(`reads the same bytes with mixed calls (seed ${seed})`, async () => {
      const next = random(seed)
      const input = createInputStream(chunked(BODY, next))
      const parts: Uint8Array[] = []
      let remaining = BODY.byteLength
      while (remaining > 0) {
        const pick = next()
        let part: Uint8Array
        if (pick < 0.4) {
          const size = pick < 0.2 ? undefined : Math.floor(next() * 12)
          part = await input.readline(size)
          expect(part.byteLength).toBeLessThanOrEqual(size ?? remaining)
          expect(part.indexOf(0x0a)).toBeOneOf([-1, part.byteLength - 1])
        } else if (pick < 0.8) {
          const size = Math.floor(next() * 10)
          part = await input.read(size)
          expect(part.byteLength).toBe(Math.min(size, remaining))
        } else {
          part = (await input[Symbol.asyncIterator]().next()).value ?? new Uint8Array()
          expect(part.byteLength).toBeGreaterThan(0)
        }
        remaining -= part.byteLength
        parts.push(part)
      }
      expect(text(Buffer.concat(parts))).toBe(text(BODY))
      expect((await input.read()).byteLength).toBe(0)
    })
  }

  it('readline splits exactly at newlines', async () => {
    const input = createInputStream(chunked(BODY, random(7)))
    const lines: string[] = []
    for (let line = await input.readline(); line.byteLength > 0; line = await input.readline())
      lines.push(text(line))
    expect(lines).toEqual(['first line\n', 'second\n', '\n', 'fourth without end é and more bytes\n', 'last'])
  })
})

describe('read', () => {
  it('read(size) gives exactly size bytes until the end, then fewer, then empty', async () => {
    const input = createInputStream(chunked(bytes('abcdefg'), () => 0.2))
    expect(text(await input.read(3))).toBe('abc')
    expect(text(await input.read(3))).toBe('def')
    expect(text(await input.read(3))).toBe('g')
    expect(await input.read(3)).toEqual(new Uint8Array())
  })

  it('read() gives the rest; read(0) gives nothing and pulls nothing', async () => {
    const source = chunked(bytes('abcdef'), () => 0.5)
    const input = createInputStream(source)
    expect(await input.read(0)).toEqual(new Uint8Array())
    expect(source.pulls).toBe(0)
    expect(text(await input.read(1))).toBe('a')
    expect(text(await input.read())).toBe('bcdef')
  })

  it('never pulls a chunk it does not need', async () => {
    const source = chunked(bytes('abcdefghij'), () => 0.72) // chunks of 5
    const input = createInputStream(source)
    expect(text(await input.read(5))).toBe('abcde')
    expect(source.pulls).toBe(1)
    expect(text(await input.readline())).toBe('fghij')
    expect(source.pulls).toBe(2)
  })

  it('serves concurrent reads in call order', async () => {
    const input = createInputStream(chunked(bytes('abcdef'), () => 0.2))
    const [a, b, c] = await Promise.all([input.read(2), input.read(2), input.read()])
    expect([a, b, c].map(text)).toEqual(['ab', 'cd', 'ef'])
  })

  it('over a Uint8Array, hands out views without copying', async () => {
    const data = bytes('hello\nworld')
    const input = createInputStream(data)
    const line = await input.readline()
    expect(line.buffer).toBe(data.buffer)
    expect(text(line)).toBe('hello\n')
  })

  it('readline(size) stops at size', async () => {
    const input = createInputStream(bytes('abcdef\n'))
    expect(text(await input.readline(4))).toBe('abcd')
    expect(text(await input.readline(0))).toBe('')
    expect(text(await input.readline())).toBe('ef\n')
  })
})

describe('iteration', () => {
  it('yields the remaining chunks and stops at the end', async () => {
    const input = createInputStream(chunked(bytes('abcdefgh'), () => 0.45))
    await input.read(1)
    const seen: string[] = []
    for await (const chunk of input) seen.push(text(chunk))
    expect(seen.join('')).toBe('bcdefgh')
    expect(seen.every((chunk) => chunk.length > 0)).toBe(true)
  })

  it('breaking out of a loop leaves the rest readable', async () => {
    const input = createInputStream(chunked(bytes('abcdefgh'), () => 0.3))
    for await (const _ of input) break
    expect(text(await input.read())).toBe('cdefgh')
  })
})

describe('contract errors', () => {
  it.each([-1, 1.5, Number.NaN, '3' as unknown as number])(
    'rejects read(%s) with input.read-size',
    (size) => {
      const input: InputStream = createInputStream(new Uint8Array())
      expect(() => input.read(size)).toThrow(TsgiSpecError)
      expect(() => input.readline(size)).toThrow(expect.objectContaining({ rule: 'input.read-size' }))
    },
  )

  it('rejects a source chunk that is not bytes with input.bytes', async () => {
    const input = createInputStream(
      (async function* () {
        yield 'text' as unknown as Uint8Array
      })(),
    )
    await expect(input.read()).rejects.toMatchObject({ rule: 'input.bytes' })
  })

  it('passes a source error on and stays usable for the queue', async () => {
    const input = createInputStream(
      (async function* () {
        yield bytes('a')
        throw new Error('socket reset')
      })(),
    )
    expect(text(await input.read(1))).toBe('a')
    await expect(input.read()).rejects.toThrow('socket reset')
  })
})
