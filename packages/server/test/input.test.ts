import { describe, expect, it } from 'vitest'
import { RequestInput } from '../src/input.ts'

function filled(...parts: string[]): RequestInput {
  const input = new RequestInput(null)
  for (const part of parts) input.push(Buffer.from(part))
  input.end()
  return input
}

const text = (bytes: Uint8Array): string => Buffer.from(bytes).toString('latin1')

describe('RequestInput', () => {
  it('reads everything with read(), then an empty array at the end', async () => {
    const input = filled('ab', 'cd')
    expect(text(await input.read())).toBe('abcd')
    expect((await input.read()).length).toBe(0)
  })

  it('reads exactly size bytes across chunk boundaries, fewer only at the end', async () => {
    const input = filled('abc', 'defg', 'h')
    expect(text(await input.read(2))).toBe('ab')
    expect(text(await input.read(4))).toBe('cdef')
    expect(text(await input.read(10))).toBe('gh')
    expect((await input.read(1)).length).toBe(0)
  })

  it('reads lines, honouring a size cap', async () => {
    const input = filled('one\ntw', 'o\nthree')
    expect(text(await input.readline())).toBe('one\n')
    expect(text(await input.readline(2))).toBe('tw')
    expect(text(await input.readline())).toBe('o\n')
    expect(text(await input.readline())).toBe('three')
    expect((await input.readline()).length).toBe(0)
  })

  it('iterates the chunks as they arrive', async () => {
    const input = new RequestInput(null)
    const seen: string[] = []
    const done = (async () => {
      for await (const chunk of input) seen.push(text(chunk))
    })()
    input.push(Buffer.from('a'))
    await new Promise((r) => setTimeout(r, 1))
    input.push(Buffer.from('b'))
    input.end()
    await done
    expect(seen).toEqual(['a', 'b'])
  })

  it('after the response, rejects a late read of a body not read to its end, and ends one that was', async () => {
    const unfinished = new RequestInput(null)
    unfinished.push(Buffer.from('part of it'))
    unfinished.detach()
    await expect(unfinished.read()).rejects.toMatchObject({ code: 'TSGI_INPUT_AFTER_RESPONSE' })
    const unread = filled('all of it')
    unread.detach()
    await expect(unread.read()).rejects.toMatchObject({ code: 'TSGI_INPUT_AFTER_RESPONSE' })
    const whole = filled('all of it')
    expect(text(await whole.read())).toBe('all of it')
    whole.detach()
    expect((await whole.read()).length).toBe(0)
  })

  it('makes the late-read error at the late read, so its stack names the reader; one error for every read', async () => {
    const input = new RequestInput(null)
    input.push(Buffer.from('part of it'))
    input.detach()
    const lateReader = (): Promise<Uint8Array> => input.read()
    const error = await lateReader().then(
      () => new Error('the late read succeeded'),
      (caught: unknown) => caught as Error,
    )
    expect(error).toMatchObject({ code: 'TSGI_INPUT_AFTER_RESPONSE' })
    expect(error.stack).toContain('lateReader')
    // The same error for the iterator, a second read and the connection's own check.
    const iterated = await (async () => {
      for await (const _ of input) return null
    })().catch((caught: unknown) => caught)
    expect(iterated).toBe(error)
    await expect(input.readline()).rejects.toBe(error)
    expect(input.error).toBe(error)
  })

  it('rejects reads of a failed body even when bytes are buffered', async () => {
    const input = new RequestInput(null)
    input.push(Buffer.from('prefix'))
    input.fail(Object.assign(new Error('bad chunk'), { code: 'TSGI_INVALID_CHUNK_SIZE' }))
    await expect(input.read()).rejects.toMatchObject({ code: 'TSGI_INVALID_CHUNK_SIZE' })
  })

  it('asks its source to pause above the high-water mark and resume once drained', async () => {
    const calls: string[] = []
    const input = new RequestInput({
      onFirstRead: () => calls.push('first'),
      onDrain: () => calls.push('drain'),
    })
    let accepted = true
    let pushed = 0
    while (accepted) {
      accepted = input.push(Buffer.alloc(16 * 1024))
      pushed++
    }
    expect(pushed).toBe(4)
    expect(calls).toEqual([])
    await input.read(16 * 1024)
    expect(calls).toEqual(['first'])
    await input.read(32 * 1024)
    expect(calls).toEqual(['first', 'drain'])
  })
})
