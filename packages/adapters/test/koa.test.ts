import { PassThrough } from 'node:stream'
import type { Context } from 'koa'
import { describe, expect, it } from 'vitest'
import { fromKoa, isKoaApp } from '../src/koa.ts'
import { call, deferred, headerValues, KOA_VERSIONS, open, text } from './node/helpers.ts'

describe.each(KOA_VERSIONS)('%s through fromKoa', (_name, Koa) => {
  it('is recognised by shape and rejects anything else', () => {
    expect(isKoaApp(new Koa())).toBe(true)
    expect(isKoaApp({ callback: () => {} })).toBe(false)
    expect(() => fromKoa({} as never)).toThrow(expect.objectContaining({ code: 'TSGI_INVALID_ARGUMENT' }))
  })

  describe('the request', () => {
    const app = new Koa()
    app.use((ctx: Context) => {
      const socket = ctx.req.socket as typeof ctx.req.socket & { encrypted?: boolean }
      ctx.body = {
        method: ctx.method,
        url: ctx.url,
        originalUrl: ctx.originalUrl,
        path: ctx.path,
        query: ctx.query,
        headers: ctx.headers,
        ip: ctx.ip,
        ips: ctx.ips,
        protocol: ctx.protocol,
        secure: ctx.secure,
        host: ctx.host,
        encrypted: socket.encrypted ?? false,
        remotePort: socket.remotePort,
      }
    })
    const gateway = fromKoa(app)

    it('has method, url from RAW_URI, path, query and headers', async () => {
      const seen = JSON.parse(
        (
          await call(gateway, { url: '/a/%2e%2e/b?x=1', headers: { host: 'example.test', 'x-a': 'v' } })
        ).text(),
      )
      expect(seen).toMatchObject({
        method: 'GET',
        url: '/a/%2e%2e/b?x=1',
        originalUrl: '/a/%2e%2e/b?x=1',
        path: '/a/%2e%2e/b',
        query: { x: '1' },
        headers: { host: 'example.test', 'x-a': 'v' },
      })
    })

    it('takes ctx.ip and ctx.protocol from the socket, and from X-Forwarded-* only with app.proxy', async () => {
      const forwarded = {
        url: '/',
        headers: {
          host: 'internal',
          'x-forwarded-for': '203.0.113.7',
          'x-forwarded-proto': 'https',
          'x-forwarded-host': 'shop.example',
        },
        environ: { REMOTE_ADDR: '10.0.0.2', REMOTE_PORT: '40000' },
      }
      const direct = JSON.parse((await call(gateway, forwarded)).text())
      expect(direct).toMatchObject({
        ip: '10.0.0.2',
        protocol: 'http',
        secure: false,
        host: 'internal',
        remotePort: 40000,
      })
      app.proxy = true
      try {
        const proxied = JSON.parse((await call(gateway, forwarded)).text())
        expect(proxied).toMatchObject({
          ip: '203.0.113.7',
          ips: ['203.0.113.7'],
          protocol: 'https',
          host: 'shop.example',
        })
      } finally {
        app.proxy = false
      }
    })

    it('sees https from socket.encrypted', async () => {
      const seen = JSON.parse((await call(gateway, { url: 'https://example.test/' })).text())
      expect(seen).toMatchObject({ protocol: 'https', secure: true, encrypted: true })
    })
  })

  describe('bodies', () => {
    const app = new Koa()
    app.use(async (ctx: Context) => {
      const chunks: Buffer[] = []
      for await (const chunk of ctx.req) chunks.push(chunk as Buffer)
      ctx.body = {
        length: Buffer.concat(chunks).byteLength,
        text: Buffer.concat(chunks).toString(),
        te: ctx.get('transfer-encoding'),
      }
    })
    const gateway = fromKoa(app)

    it('streams ctx.req, with Content-Length or chunked', async () => {
      const sized = JSON.parse((await call(gateway, { method: 'POST', body: 'héllo' })).text())
      expect(sized).toEqual({ length: 6, text: 'héllo', te: '' })
      const chunked = (async function* () {
        yield Buffer.from('a')
        yield Buffer.from('bc')
      })()
      const seen = JSON.parse((await call(gateway, { method: 'PUT', body: chunked })).text())
      expect(seen).toEqual({ length: 3, text: 'abc', te: 'chunked' })
    })
  })

  describe('responses', () => {
    const app = new Koa()
    app.use(async (ctx: Context, next: () => Promise<unknown>) => {
      if (ctx.path === '/cookies') {
        ctx.cookies.set('a', '1')
        ctx.cookies.set('b', '2', { httpOnly: false })
        ctx.body = 'ok'
      } else if (ctx.path === '/redirect') {
        ctx.redirect('/there')
      } else if (ctx.path === '/buffer') {
        ctx.set('X-Kind', 'bytes')
        ctx.body = BYTES
      } else if (ctx.path === '/text') {
        ctx.status = 201
        ctx.body = 'created'
      } else {
        await next()
      }
    })
    const gateway = fromKoa(app)

    it('sends status, set headers, several cookies in order, redirects and binary bodies', async () => {
      const created = await call(gateway, { url: '/text' })
      expect([created.status, created.text()]).toEqual([201, 'created'])
      expect(headerValues(created.headers, 'content-length')).toEqual(['7'])
      const cookies = await call(gateway, { url: '/cookies' })
      expect(headerValues(cookies.headers, 'set-cookie')).toEqual(['a=1; path=/; httponly', 'b=2; path=/'])
      const redirect = await call(gateway, { url: '/redirect' })
      expect(redirect.status).toBe(302)
      expect(headerValues(redirect.headers, 'location')).toEqual(['/there'])
      const bytes = await call(gateway, { url: '/buffer' })
      expect(Buffer.from(bytes.body).equals(BYTES)).toBe(true)
      expect(headerValues(bytes.headers, 'x-kind')).toEqual(['bytes'])
    })

    it("answers unmatched requests with Koa's own 404, and HEAD with Content-Length and no body", async () => {
      const missing = await call(gateway, { url: '/nothing' })
      expect([missing.status, missing.text()]).toEqual([404, 'Not Found'])
      const head = await call(gateway, { method: 'HEAD', url: '/text' })
      expect(headerValues(head.headers, 'content-length')).toEqual(['7'])
      expect(head.body.byteLength).toBe(0)
    })

    it('streams a ctx.body stream chunk by chunk', async () => {
      const stream = new PassThrough()
      const streaming = new Koa()
      streaming.use((ctx: Context) => {
        ctx.type = 'text/event-stream'
        ctx.body = stream
        stream.write('data: 1\n\n')
      })
      const opened = await open(fromKoa(streaming))
      expect(text((await opened.iterator.next()).value)).toBe('data: 1\n\n')
      stream.end('data: 2\n\n')
      expect(text((await opened.iterator.next()).value)).toBe('data: 2\n\n')
      expect((await opened.iterator.next()).done).toBe(true)
      await opened.close()
    })
  })

  describe('errors', () => {
    it("gives ctx.throw and thrown errors Koa's own error response and 'error' event", async () => {
      const app = new Koa()
      const reported: string[] = []
      app.on('error', (error: Error) => reported.push(error.message))
      app.use(async (ctx: Context) => {
        if (ctx.path === '/throw') ctx.throw(422, 'bad input')
        await Promise.resolve()
        throw new Error('hidden detail')
      })
      const gateway = fromKoa(app)
      const thrown = await call(gateway, { url: '/throw' })
      expect([thrown.status, thrown.text()]).toEqual([422, 'bad input'])
      const crashed = await call(gateway, { url: '/crash' })
      expect([crashed.status, crashed.text()]).toEqual([500, 'Internal Server Error'])
      expect(reported).toEqual(['bad input', 'hidden detail'])
    })
  })

  it('lets a client disconnect reach the app: req aborted/close, res close, stream stopped', async () => {
    const events: string[] = []
    const closed = deferred()
    const app = new Koa()
    // Koa reports the cut stream ('Premature close') as an app error, as on node:http.
    app.on('error', (error: Error) => events.push(`app error ${error.message}`))
    app.use((ctx: Context) => {
      const stream = new PassThrough()
      ctx.req.on('aborted', () => events.push('req aborted'))
      ctx.req.on('close', () => events.push('req close'))
      ctx.res.on('close', () => {
        events.push(`res close finished=${ctx.res.writableFinished}`)
        stream.destroy()
        closed.resolve()
      })
      ctx.body = stream
      stream.write('tick')
    })
    const opened = await open(fromKoa(app), { REQUEST_METHOD: 'GET' })
    expect(text((await opened.iterator.next()).value)).toBe('tick')
    const pending = opened.iterator.next()
    opened.abort.abort()
    await expect(pending).rejects.toBeDefined()
    await closed.promise
    await new Promise((resolve) => setImmediate(resolve))
    // The order node:http gives when a client leaves mid-response (checked against a real server).
    expect(events.filter((event) => !event.startsWith('app error'))).toEqual([
      'req aborted',
      'res close finished=false',
      'req close',
    ])
    await opened.close()
  })
})

const BYTES = Buffer.from(Array.from({ length: 512 }, (_, i) => (i * 7) % 256))
