import { IncomingMessage } from 'node:http'
import { getConnInfo } from '@hono/node-server/conninfo'
import { Hono } from 'hono'
import { setCookie } from 'hono/cookie'
import { HTTPException } from 'hono/http-exception'
import { streamSSE } from 'hono/streaming'
import { describe, expect, it } from 'vitest'
import { fromHono } from '../src/hono.ts'
import { toFetchHandler } from '../src/to-fetch-handler.ts'
import { call, deferred, headerValues, start, text, validate } from './fetch/helpers.ts'

async function multipart(form: FormData): Promise<{ body: Uint8Array; type: string }> {
  const request = new Request('http://form.test/', { method: 'POST', body: form })
  return { body: new Uint8Array(await request.arrayBuffer()), type: request.headers.get('content-type')! }
}

const app = new Hono<{ Bindings: { incoming: IncomingMessage } }>()
  .get('/info/:id', (c) =>
    c.json({
      method: c.req.method,
      url: c.req.url,
      path: c.req.path,
      id: c.req.param('id'),
      q: c.req.query('q'),
      tags: c.req.queries('tag'),
      agent: c.req.header('user-agent'),
      isRequest: c.req.raw instanceof Request,
    }),
  )
  .post('/json', async (c) => c.json({ got: await c.req.json() }))
  .post('/form', async (c) => {
    const form = await c.req.formData()
    const file = form.get('file')
    return c.json({
      name: form.get('name'),
      file:
        file instanceof File
          ? { name: file.name, bytes: [...new Uint8Array(await file.arrayBuffer())] }
          : null,
    })
  })
  .post('/parse', async (c) => c.json(await c.req.parseBody()))
  .post('/bytes', async (c) =>
    c.body(await c.req.arrayBuffer(), 200, { 'content-type': 'application/octet-stream' }),
  )
  .get('/cookies', (c) => {
    setCookie(c, 'first', '1', { path: '/' })
    setCookie(c, 'second', '2', { httpOnly: true })
    setCookie(c, 'third', '3', { expires: new Date(Date.UTC(2026, 9, 21, 7, 28)) })
    return c.text('set')
  })
  .get('/redirect', (c) => c.redirect('/elsewhere'))
  .get('/sized', (c) => c.body('hello', 200, { 'content-length': '5', 'content-type': 'text/plain' }))
  .get('/fail', () => {
    throw new Error('boom')
  })
  .get('/teapot', () => {
    throw new HTTPException(418, { message: 'short and stout' })
  })
  .get('/conn', (c) =>
    c.json({ remote: getConnInfo(c).remote, incoming: c.env.incoming instanceof IncomingMessage }),
  )
app.onError((error, c) => {
  if (error instanceof HTTPException) return error.getResponse()
  return c.text(`handled: ${error.message}`, 500)
})

const wrapped = fromHono(app)

describe('fromHono: requests', () => {
  it('gives Hono the method, URL, params, query and headers', async () => {
    const response = await call(wrapped, {
      url: '/info/42?q=x&tag=a&tag=b',
      headers: { host: 'hono.test', 'user-agent': 'vitest' },
    })
    expect(response.status).toBe(200)
    expect(JSON.parse(response.text())).toEqual({
      method: 'GET',
      url: 'http://hono.test/info/42?q=x&tag=a&tag=b',
      path: '/info/42',
      id: '42',
      q: 'x',
      tags: ['a', 'b'],
      agent: 'vitest',
      isRequest: true,
    })
  })

  it('parses JSON, urlencoded and multipart bodies, and binary bytes', async () => {
    const json = await call(wrapped, {
      method: 'POST',
      url: '/json',
      headers: { 'content-type': 'application/json' },
      body: '{"a":[1,"é"]}',
    })
    expect(JSON.parse(json.text())).toEqual({ got: { a: [1, 'é'] } })

    const urlencoded = await call(wrapped, {
      method: 'POST',
      url: '/parse',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'name=caf%C3%A9&n=1',
    })
    expect(JSON.parse(urlencoded.text())).toEqual({ name: 'café', n: '1' })

    const form = new FormData()
    form.set('name', 'ada')
    form.set('file', new File([new Uint8Array([0, 1, 254, 255])], 'a.bin'))
    const { body, type } = await multipart(form)
    const formResponse = await call(wrapped, {
      method: 'POST',
      url: '/form',
      headers: { 'content-type': type },
      body,
    })
    expect(JSON.parse(formResponse.text())).toEqual({
      name: 'ada',
      file: { name: 'a.bin', bytes: [0, 1, 254, 255] },
    })
    const parsed = await call(wrapped, {
      method: 'POST',
      url: '/parse',
      headers: { 'content-type': type },
      body,
    })
    expect(JSON.parse(parsed.text())).toEqual({ name: 'ada', file: {} })

    const bytes = new Uint8Array(70_000).map((_, i) => (i * 31) % 256)
    const echoed = await call(wrapped, { method: 'POST', url: '/bytes', body: bytes })
    expect(Buffer.from(echoed.body).equals(Buffer.from(bytes))).toBe(true)
  })

  it('exposes c.env.incoming as a real IncomingMessage, so getConnInfo works', async () => {
    const response = await call(wrapped, {
      url: '/conn',
      environ: { REMOTE_ADDR: '203.0.113.7', REMOTE_PORT: '50123' },
    })
    expect(JSON.parse(response.text())).toEqual({
      remote: { address: '203.0.113.7', port: 50123, addressType: 'IPv4' },
      incoming: true,
    })
  })
})

describe('fromHono: responses', () => {
  it('keeps several Set-Cookie in order', async () => {
    const response = await call(wrapped, { url: '/cookies' })
    expect(headerValues(response.headers, 'set-cookie')).toEqual([
      'first=1; Path=/',
      'second=2; Path=/; HttpOnly',
      'third=3; Path=/; Expires=Wed, 21 Oct 2026 07:28:00 GMT',
    ])
  })

  it('redirects, answers Hono 404 and runs onError', async () => {
    const redirect = await call(wrapped, { url: '/redirect' })
    expect([redirect.status, headerValues(redirect.headers, 'location')]).toEqual([302, ['/elsewhere']])
    const missing = await call(wrapped, { url: '/nope' })
    expect([missing.status, missing.text()]).toEqual([404, '404 Not Found'])
    const failed = await call(wrapped, { url: '/fail' })
    expect([failed.status, failed.text()]).toEqual([500, 'handled: boom'])
    const teapot = await call(wrapped, { url: '/teapot' })
    expect([teapot.status, teapot.statusText, teapot.text()]).toEqual([
      418,
      "I'm a Teapot",
      'short and stout',
    ])
  })

  it('answers the same whether a handler answers synchronously or later', async () => {
    const both = new Hono()
      .get('/now', (c) => c.text('now', 201, { 'x-way': 'sync' }))
      .get('/later', async (c) => {
        await new Promise((resolve) => setTimeout(resolve, 1))
        return c.text('later', 201, { 'x-way': 'async' })
      })
    // The synchronous route really is answered synchronously by Hono, with no promise to await.
    expect(both.fetch(new Request('http://h.test/now'))).toBeInstanceOf(Response)
    const wrappedBoth = fromHono(both)
    const now = await call(wrappedBoth, { url: '/now' })
    const later = await call(wrappedBoth, { url: '/later' })
    expect([now.status, now.text(), headerValues(now.headers, 'x-way')]).toEqual([201, 'now', ['sync']])
    expect([later.status, later.text(), headerValues(later.headers, 'x-way')]).toEqual([
      201,
      'later',
      ['async'],
    ])
  })

  it('fails with the error of an app whose fetch throws, rejects or answers no Response', async () => {
    const cases: [string, () => Response | Promise<Response>, RegExp][] = [
      [
        'throws',
        () => {
          throw new Error('thrown at once')
        },
        /thrown at once/,
      ],
      ['rejects', () => Promise.reject(new Error('rejected later')), /rejected later/],
      ['no Response now', () => 'text' as unknown as Response, /returned string, expected a Response/],
      ['no Response later', async () => 42 as unknown as Response, /returned number, expected a Response/],
    ]
    for (const [, fetch, error] of cases) {
      await expect(call(fromHono({ fetch }), { url: '/' })).rejects.toThrow(error)
    }
    // Hono's own onError rethrowing, synchronously: the error reaches the server (its 500).
    const rethrows = new Hono().get('/', () => {
      throw new Error('unhandled')
    })
    rethrows.onError((error) => {
      throw error
    })
    await expect(call(fromHono(rethrows), { url: '/' })).rejects.toThrow(/unhandled/)
  })

  it('answers HEAD without a body, keeping Content-Length', async () => {
    const head = await call(wrapped, { method: 'HEAD', url: '/sized' })
    expect(head.status).toBe(200)
    expect(head.body.byteLength).toBe(0)
    expect(headerValues(head.headers, 'content-length')).toEqual(['5'])
  })

  it('streams SSE event by event: the first event arrives before the second is written', async () => {
    const gate = deferred()
    const written: string[] = []
    const sse = new Hono().get('/events', (c) =>
      streamSSE(c, async (stream) => {
        await stream.writeSSE({ data: 'one', id: '1' })
        written.push('one')
        await gate.promise
        await stream.writeSSE({ data: 'two', id: '2' })
        written.push('two')
      }),
    )
    const response = await start(fromHono(sse), { PATH_INFO: '/events', RAW_URI: '/events' })
    expect(response.status).toBe('200 OK')
    expect(headerValues(response.headers, 'content-type')).toEqual(['text/event-stream'])
    // The adapter strips the hop-by-hop fields streamSSE sets; the server owns framing.
    expect(headerValues(response.headers, 'transfer-encoding')).toEqual([])
    const first = await response.iterator.next()
    expect(text(first.value)).toBe('data: one\nid: 1\n\n')
    expect(written).toEqual(['one'])
    gate.resolve()
    const second = await response.iterator.next()
    expect(text(second.value)).toBe('data: two\nid: 2\n\n')
    expect((await response.iterator.next()).done).toBe(true)
  })

  it('aborts c.req.raw.signal and the stream when the client disconnects', async () => {
    const aborted = deferred<boolean>()
    const streamAborted = deferred()
    const sse = new Hono().get('/events', (c) => {
      c.req.raw.signal.addEventListener('abort', () => aborted.resolve(true))
      return streamSSE(c, async (stream) => {
        stream.onAbort(() => streamAborted.resolve())
        await stream.writeSSE({ data: 'hello' })
        await new Promise(() => {})
      })
    })
    const response = await start(fromHono(sse), { PATH_INFO: '/events', RAW_URI: '/events' })
    await response.iterator.next()
    response.abort.abort()
    await expect(aborted.promise).resolves.toBe(true)
    await expect(streamAborted.promise).resolves.toBeUndefined()
  })
})

describe('fromHono: globals and round trips', () => {
  it('patches no globals', async () => {
    const before = [globalThis.Request, globalThis.Response, globalThis.Headers]
    await call(wrapped, { method: 'POST', url: '/json', body: '{}' })
    const after = [globalThis.Request, globalThis.Response, globalThis.Headers]
    for (const [i, value] of after.entries()) expect(value).toBe(before[i])
    expect(new Response('x') instanceof Response).toBe(true)
  })

  it('toFetchHandler(fromHono(app)) answers like app.fetch', async () => {
    const trip = toFetchHandler(validate(wrapped))
    for (const path of ['/info/7?q=1', '/cookies', '/redirect', '/nope', '/fail']) {
      const direct = await app.fetch(new Request(`http://hono.test${path}`))
      const wrappedResponse = await trip(new Request(`http://hono.test${path}`))
      expect(wrappedResponse.status, path).toBe(direct.status)
      expect([...wrappedResponse.headers], path).toEqual([...direct.headers])
      expect(await wrappedResponse.text(), path).toBe(await direct.text())
    }
  })
})

describe('fromHono: c.env.outgoing, as on @hono/node-server', () => {
  it('sends what the app wrote itself when it returns RESPONSE_ALREADY_SENT', async () => {
    const { RESPONSE_ALREADY_SENT } = await import('@hono/node-server/utils/response')
    const direct = new Hono<{ Bindings: { outgoing: import('node:http').ServerResponse } }>().get(
      '/raw',
      (c) => {
        const res = c.env.outgoing
        res.writeHead(201, { 'content-type': 'text/plain', 'set-cookie': ['a=1', 'b=2'] })
        res.write('written ')
        res.end('by node')
        return RESPONSE_ALREADY_SENT
      },
    )
    const response = await call(fromHono(direct), { url: '/raw' })
    expect(response.status).toBe(201)
    expect(headerValues(response.headers, 'set-cookie')).toEqual(['a=1', 'b=2'])
    expect(response.text()).toBe('written by node')
  })

  it('merges headers set on outgoing with the returned Response', async () => {
    const merged = new Hono<{ Bindings: { outgoing: import('node:http').ServerResponse } }>().get(
      '/',
      (c) => {
        c.env.outgoing.setHeader('x-from-node', 'yes')
        return c.text('from hono', 202)
      },
    )
    const response = await call(fromHono(merged))
    expect(response.status).toBe(202)
    expect(headerValues(response.headers, 'x-from-node')).toEqual(['yes'])
    expect(response.text()).toBe('from hono')
  })
})
