import { createEnviron } from '@tsgi/core'
import { describe, expect, it } from 'vitest'
import { withDirectReaders } from '../../src/fetch-bridge/direct-readers.ts'
import { inputBody } from '../../src/fetch-bridge/input-body.ts'

type WithBytes = Request & { bytes(): Promise<Uint8Array> }

/** A real Request over `tsgi.input`, as `requestFromEnviron` builds it where no lazy request is used. */
function real(body: string): Request {
  const input = createEnviron({ REQUEST_METHOD: 'POST', body })['tsgi.input']
  const init = { method: 'POST', body: inputBody(input), duplex: 'half' } as RequestInit
  return withDirectReaders(new Request('http://127.0.0.1/', init), input)
}

describe('withDirectReaders', () => {
  it('reads text(), json(), arrayBuffer() and bytes() from tsgi.input', async () => {
    expect(await real('\uFEFFhé').text()).toBe('hé')
    expect(await real('{"a":[1]}').json()).toEqual({ a: [1] })
    expect(new Uint8Array(await real('ab').arrayBuffer())).toEqual(new Uint8Array([97, 98]))
    expect(await (real('c') as WithBytes).bytes()).toEqual(new Uint8Array([99]))
  })

  it('decodes malformed UTF-8 exactly as the runtime Request does', async () => {
    const samples = [
      [0xff],
      [0xc3],
      [0xe2, 0x82, 0x41],
      [0xed, 0xa0, 0x80],
      [0xc0, 0xaf],
      [0xf4, 0x90, 0x80, 0x80],
      [0x61, 0xe2, 0x28, 0xa1, 0x62],
      [0xef, 0xbb, 0xbf, 0xef, 0xbb, 0xbf],
      [0xe0, 0x80, 0x80],
      [0x7b, 0x22, 0xff, 0x22, 0x7d],
    ]
    for (const sample of samples) {
      const bytes = Buffer.from(sample)
      const input = createEnviron({ REQUEST_METHOD: 'POST', body: bytes })['tsgi.input']
      const init = { method: 'POST', body: inputBody(input), duplex: 'half' } as RequestInit
      const direct = withDirectReaders(new Request('http://127.0.0.1/', init), input)
      const runtime = new Request('http://127.0.0.1/', { method: 'POST', body: bytes })
      expect(await direct.text(), JSON.stringify(sample)).toBe(await runtime.text())
    }
  })

  it('leaves the request used, as a normal read does', async () => {
    const request = real('once')
    expect(request.bodyUsed).toBe(false)
    expect(await request.text()).toBe('once')
    expect(request.bodyUsed).toBe(true)
    await expect(request.text()).rejects.toBeInstanceOf(TypeError)
    await expect(Request.prototype.text.call(request)).rejects.toBeInstanceOf(TypeError)
    expect(() => request.clone()).toThrow(TypeError)
    expect(() => new Request(request)).toThrow(TypeError)
  })

  it('defers to Request.prototype once the stream was touched', async () => {
    const request = real('streamed')
    const reader = (request.body as ReadableStream<Uint8Array>).getReader()
    await expect(request.text()).rejects.toBeInstanceOf(TypeError)
    reader.releaseLock()
    const copy = real('copied').clone()
    expect(await copy.text()).toBe('copied')
  })
})
