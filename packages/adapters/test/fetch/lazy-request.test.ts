import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { inspect } from 'node:util'
import { createEnviron, type EnvironInit } from '@tsgi/core'
import { describe, expect, it } from 'vitest'
import { requestFromEnviron } from '../../src/fetch-bridge/environ-to-request.ts'
import { hasRequestBody } from '../../src/fetch-bridge/input-body.ts'
import { LazyRequest } from '../../src/fetch-bridge/lazy-request.ts'
import { fromFetch } from '../../src/fetch-handler.ts'
import { call } from './helpers.ts'

/** A LazyRequest over a test environ, as `requestFromEnviron` builds it on Node 20. */
function lazy(init: EnvironInit = {}): Request {
  const environ = createEnviron(init)
  const url = `http://${environ.HTTP_HOST}${environ.PATH_INFO}`
  return new LazyRequest(environ, environ.REQUEST_METHOD, url, hasRequestBody(environ)) as unknown as Request
}

const post = (body: string, type = 'application/json'): Request =>
  lazy({ REQUEST_METHOD: 'POST', PATH_INFO: '/p', CONTENT_TYPE: type, body })

describe('LazyRequest', () => {
  it('is a Request to its handler: instanceof, toString tag, prototype members', () => {
    const request = lazy({ PATH_INFO: '/a', HTTP_ACCEPT: 'text/plain' })
    expect(request).toBeInstanceOf(Request)
    expect(Object.prototype.toString.call(request)).toBe('[object Request]')
    expect(request.constructor).toBe(Request)
    expect(inspect(request)).toMatch(/^Request \{\n {2}method: 'GET',\n {2}url: 'http:\/\/127\.0\.0\.1\/a'/)
    expect([request.method, request.url]).toEqual(['GET', 'http://127.0.0.1/a'])
    expect(request.headers).toBeInstanceOf(Headers)
    expect(request.headers.get('accept')).toBe('text/plain')
    // Members it does not answer itself come from a real Request.
    expect([request.cache, request.credentials, request.mode, request.redirect]).toEqual([
      'default',
      'same-origin',
      'cors',
      'follow',
    ])
    expect(request.body).toBeNull()
    expect(request.bodyUsed).toBe(false)
  })

  it('leaves the runtime’s Request.prototype as it was', () => {
    const before = Object.getOwnPropertyNames(Request.prototype).map((name) => [
      name,
      Object.getOwnPropertyDescriptor(Request.prototype, name),
    ])
    lazy().headers
    expect(
      Object.getOwnPropertyNames(Request.prototype).map((name) => [
        name,
        Object.getOwnPropertyDescriptor(Request.prototype, name),
      ]),
    ).toEqual(before)
    expect(Object.getPrototypeOf(Request.prototype)).toBe(Object.prototype)
  })

  it('reads the body with text(), json(), arrayBuffer() and bytes(), once', async () => {
    expect(await post('{"a":1}').json()).toEqual({ a: 1 })
    expect(await post('\uFEFFhé').text()).toBe('hé')
    const buffer = await post('abc').arrayBuffer()
    expect(buffer).toBeInstanceOf(ArrayBuffer)
    expect(new Uint8Array(buffer)).toEqual(new Uint8Array([97, 98, 99]))
    const request = post('xyz')
    expect(await (request as Request & { bytes(): Promise<Uint8Array> }).bytes()).toEqual(
      new Uint8Array([120, 121, 122]),
    )
    expect(request.bodyUsed).toBe(true)
    await expect(request.text()).rejects.toBeInstanceOf(TypeError)
    // The real request made after the direct read agrees: used, locked, unusable.
    expect(request.body?.locked).toBe(true)
    await expect(request.blob()).rejects.toBeInstanceOf(TypeError)
    expect(() => request.clone()).toThrow(TypeError)
  })

  it('reads a body without one as empty, repeatedly, as Request does', async () => {
    const request = lazy()
    expect(await request.text()).toBe('')
    expect(new Uint8Array(await request.arrayBuffer())).toEqual(new Uint8Array(0))
    expect(request.bodyUsed).toBe(false)
  })

  it('streams the body from tsgi.input when `body` is read first', async () => {
    async function* chunks(): AsyncGenerator<Uint8Array> {
      yield new TextEncoder().encode('one ')
      yield new TextEncoder().encode('two')
    }
    const request = lazy({ REQUEST_METHOD: 'POST', body: chunks() })
    const parts: string[] = []
    for await (const chunk of request.body as unknown as AsyncIterable<Uint8Array>) {
      parts.push(new TextDecoder().decode(chunk))
    }
    expect(parts.join('')).toBe('one two')
    expect(request.bodyUsed).toBe(true)
    await expect(request.text()).rejects.toBeInstanceOf(TypeError)
  })

  it('leaves the server’s buffers whole when the body streams (Buffer views, not copies, in)', async () => {
    // The server hands out views into its socket read buffer; a byte stream detaches what it
    // is given, so the bridge must enqueue copies.
    const shared = Buffer.from('GET-next-request|first part|second part')
    async function* views(): AsyncGenerator<Uint8Array> {
      yield shared.subarray(17, 28)
      yield shared.subarray(28)
    }
    for (const request of [
      lazy({ REQUEST_METHOD: 'POST', body: views() }),
      requestFromEnviron(createEnviron({ REQUEST_METHOD: 'POST', body: views() })),
    ]) {
      const reader = (request.body as ReadableStream<Uint8Array>).getReader()
      let text = ''
      for (let step = await reader.read(); !step.done; step = await reader.read()) {
        text += new TextDecoder().decode(step.value)
      }
      expect(text).toBe('first part|second part')
      expect(shared.byteLength).toBe(39)
      expect(shared.subarray(0, 16).toString()).toBe('GET-next-request')
    }
  })

  it('answers formData(), blob() and clone() through the real request', async () => {
    const form = await post('a=1&b=two', 'application/x-www-form-urlencoded').formData()
    expect([form.get('a'), form.get('b')]).toEqual(['1', 'two'])
    const blob = await post('hi', 'text/plain').blob()
    expect([blob.type, await blob.text()]).toEqual(['text/plain', 'hi'])
    const original = post('twice')
    const copy = original.clone()
    expect(copy).toBeInstanceOf(Request)
    expect(await copy.text()).toBe('twice')
    expect(await original.text()).toBe('twice')
  })

  it('gives tsgi.signal as its signal', () => {
    const abort = new AbortController()
    const request = lazy({ 'tsgi.signal': abort.signal })
    expect(request.signal).toBe(abort.signal)
    abort.abort()
    expect(request.signal.aborted).toBe(true)
  })
})

describe('requestFromEnviron', () => {
  const cases: Array<[string, EnvironInit]> = [
    ['method case', { REQUEST_METHOD: 'delete', RAW_URI: '/x' }],
    ['extension method kept', { REQUEST_METHOD: 'purge', RAW_URI: '/x' }],
    ['dot segments', { RAW_URI: '/a/./b/../c?q=1' }],
    ['host case and default port', { HTTP_HOST: 'Example.TEST:80', RAW_URI: '/' }],
    ['escapes', { RAW_URI: '/a b/"{x}"?q=\'<>\'' }],
  ]
  it.each(cases)('agrees with new Request() on method and URL: %s', (_name, init) => {
    const environ = createEnviron(init)
    const request = requestFromEnviron(environ)
    const target = (init.RAW_URI ?? '/').replace(/ /g, '%20')
    const real = new Request(`http://${environ.HTTP_HOST}${target}`, { method: environ.REQUEST_METHOD })
    expect([request.method, request.url]).toEqual([real.method, real.url])
  })

  it('can be copied with new Request(request), body included', async () => {
    const request = requestFromEnviron(
      createEnviron({ REQUEST_METHOD: 'PUT', RAW_URI: '/c', HTTP_X_ONE: '1', body: 'copied' }),
    )
    const copy = new Request(request)
    expect([copy.method, copy.url, copy.headers.get('x-one')]).toEqual(['PUT', 'http://127.0.0.1/c', '1'])
    expect(await copy.text()).toBe('copied')
    expect(request.bodyUsed).toBe(true)
  })

  it('can be sent on with fetch(request) by a proxying handler', async () => {
    const upstream = createServer((req, res) => {
      let body = ''
      req.on('data', (chunk: Buffer) => {
        body += chunk
      })
      req.on('end', () => res.end(`${req.method} ${req.url} ${req.headers['x-one']} ${body}`))
    })
    await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve))
    const { port } = upstream.address() as AddressInfo
    try {
      const proxy = fromFetch((request) => fetch(request))
      const response = await call(proxy, {
        method: 'POST',
        url: '/up?z=1',
        headers: [
          ['Host', `127.0.0.1:${port}`],
          ['X-One', 'one'],
        ],
        body: 'payload',
      })
      expect(response.text()).toBe('POST /up?z=1 one payload')
    } finally {
      upstream.close()
    }
  })
})
