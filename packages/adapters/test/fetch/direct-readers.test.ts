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
