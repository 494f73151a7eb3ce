import { fileURLToPath } from 'node:url'
import type { NextFunction, Request, Response } from 'express'
import { describe, expect, it, vi } from 'vitest'
import { fromExpress, isExpressApp } from '../src/express.ts'
import { call, deferred, EXPRESS_VERSIONS, headerValues, open, text } from './node/helpers.ts'

const fixture = (name: string): string => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url))
const json = { 'content-type': 'application/json' }

describe.each(EXPRESS_VERSIONS)('%s through fromExpress', (_name, express) => {
  it('is recognised by shape and rejects anything else', () => {
    expect(isExpressApp(express())).toBe(true)
    expect(isExpressApp(() => {})).toBe(false)
    expect(() => fromExpress({} as never)).toThrow(expect.objectContaining({ code: 'TSGI_INVALID_ARGUMENT' }))
  })

  describe('the request', () => {
    const app = express()
    app.use((req: Request, res: Response) => res.json(fields(req)))
    const gateway = fromExpress(app)

    it('has method, url/originalUrl from RAW_URI (never normalised), path, query, httpVersion', async () => {
      const seen = JSON.parse((await call(gateway, { url: '/a/../b/%2e%2E/c?x=1&y=%20' })).text())
      expect(seen).toMatchObject({
        method: 'GET',
        url: '/a/../b/%2e%2E/c?x=1&y=%20',
        originalUrl: '/a/../b/%2e%2E/c?x=1&y=%20',
        path: '/a/../b/%2e%2E/c',
        query: { x: '1', y: ' ' },
        httpVersion: '1.1',
      })
    })

    it('has headers as node:http gives them, rawHeaders in order, and no invented Content-Length', async () => {
      const response = await call(gateway, {
        url: '/h',
        headers: [
          ['Host', 'example.test'],
          ['X-Forwarded-For', '203.0.113.7'],
          ['Accept', 'text/html'],
        ],
      })
      const seen = JSON.parse(response.text())
      expect(seen.headers).toEqual({
        host: 'example.test',
        'x-forwarded-for': '203.0.113.7',
        accept: 'text/html',
      })
      expect(seen.rawHeaders).toEqual([
        'Host',
        'example.test',
        'X-Forwarded-For',
        '203.0.113.7',
        'Accept',
        'text/html',
      ])
      expect(seen.body).toBeUndefined()
    })

    it('takes req.ip, protocol, secure and hostname from the socket without trust proxy', async () => {
      const seen = JSON.parse(
        (
          await call(gateway, {
            url: '/ip',
            headers: { host: 'example.test', 'x-forwarded-for': '203.0.113.7', 'x-forwarded-proto': 'https' },
            environ: { REMOTE_ADDR: '10.0.0.2', REMOTE_PORT: '50123' },
          })
        ).text(),
      )
      expect(seen).toMatchObject({
        ip: '10.0.0.2',
        ips: [],
        protocol: 'http',
        secure: false,
        hostname: 'example.test',
        remoteAddress: '10.0.0.2',
        remotePort: 50123,
        remoteFamily: 'IPv4',
      })
    })

    it('honours trust proxy through its own getters (X-Forwarded-For/Proto/Host)', async () => {
      const trusting = express()
      trusting.set('trust proxy', true)
      trusting.get('/ip', (req: Request, res: Response) => res.json(fields(req)))
      const seen = JSON.parse(
        (
          await call(fromExpress(trusting), {
            url: '/ip',
            headers: {
              host: 'internal:8080',
              'x-forwarded-for': '203.0.113.7, 10.0.0.1',
              'x-forwarded-proto': 'https',
              'x-forwarded-host': 'shop.example',
            },
            environ: { REMOTE_ADDR: '10.0.0.2' },
          })
        ).text(),
      )
      expect(seen).toMatchObject({
        ip: '203.0.113.7',
        ips: ['203.0.113.7', '10.0.0.1'],
        protocol: 'https',
        secure: true,
        hostname: 'shop.example',
      })
    })

    it('sees an https connection as encrypted (req.secure) and IPv6 peers as such', async () => {
      const seen = JSON.parse(
        (
          await call(gateway, {
            url: 'https://example.test/s',
            environ: { REMOTE_ADDR: '::1', REMOTE_PORT: '443' },
          })
        ).text(),
      )
      expect(seen).toMatchObject({
        protocol: 'https',
        secure: true,
        encrypted: true,
        remoteFamily: 'IPv6',
        ip: '::1',
      })
    })

    it('strips a SCRIPT_NAME mount point from req.url, as a mounted sub-app sees it', async () => {
      const seen = JSON.parse(
        (
          await call(gateway, {
            url: '/api/mount/x?q=1',
            environ: { SCRIPT_NAME: '/api', PATH_INFO: '/mount/x' },
          })
        ).text(),
      )
      expect(seen.url).toBe('/mount/x?q=1')
    })
  })

  describe('request bodies', () => {
    const app = express()
    app.post('/json', express.json(), (req: Request, res: Response) => res.json({ body: req.body }))
    app.post('/form', express.urlencoded({ extended: false }), (req: Request, res: Response) =>
      res.json({ body: req.body }),
    )
    app.post('/raw', express.raw({ type: '*/*' }), (req: Request, res: Response) =>
      res.json({ hex: (req.body as Buffer).toString('hex') }),
    )
    app.post('/text', express.text(), (req: Request, res: Response) => res.json({ body: req.body }))
    app.post('/count', (req: Request, res: Response) => {
      let bytes = 0
      req.on('data', (chunk: Buffer) => {
        bytes += chunk.byteLength
      })
      req.on('end', () => res.json({ bytes, complete: req.complete }))
    })
    const gateway = fromExpress(app)

    it('parses JSON, urlencoded, raw and text bodies with the framework parsers', async () => {
      const parsed = async (url: string, type: string, body: string | Uint8Array): Promise<unknown> =>
        JSON.parse(
          (await call(gateway, { method: 'POST', url, headers: { 'content-type': type }, body })).text(),
        )
      expect(await parsed('/json', 'application/json', '{"a":[1,2]}')).toEqual({ body: { a: [1, 2] } })
      expect(await parsed('/form', 'application/x-www-form-urlencoded', 'a=1&b=%C3%A9')).toEqual({
        body: { a: '1', b: 'é' },
      })
      expect(await parsed('/raw', 'application/octet-stream', new Uint8Array([0, 255, 10, 13]))).toEqual({
        hex: '00ff0a0d',
      })
      expect(await parsed('/text', 'text/plain', 'plain ünïcode')).toEqual({ body: 'plain ünïcode' })
    })

    it('parses a chunked upload (no CONTENT_LENGTH, tsgi.input_terminated)', async () => {
      const body = (async function* () {
        yield Buffer.from('{"split":')
        yield Buffer.from('"across chunks"}')
      })()
      const response = await call(gateway, { method: 'POST', url: '/json', headers: json, body })
      expect(JSON.parse(response.text())).toEqual({ body: { split: 'across chunks' } })
    })

    it('leaves req.body alone when no parser ran', async () => {
      const bare = express()
      bare.post('/', (req: Request, res: Response) =>
        res.json({ hasBody: 'body' in req, body: req.body ?? null }),
      )
      const response = await call(fromExpress(bare), { method: 'POST', headers: json, body: '{"a":1}' })
      expect(JSON.parse(response.text())).toEqual({ hasBody: false, body: null })
    })

    it('streams an 8 MiB upload to an app that reads it incrementally, never buffering it whole', async () => {
      const chunk = 64 * 1024
      let produced = 0
      let maxAhead = 0
      const lazy = express()
      lazy.post('/', (req: Request, res: Response) => {
        let seen = 0
        req.on('data', (data: Buffer) => {
          seen += data.byteLength
          maxAhead = Math.max(maxAhead, produced - seen)
          // A slow consumer: if anything buffered the body whole, the source would run far ahead.
          req.pause()
          setImmediate(() => req.resume())
        })
        req.on('end', () => res.json({ seen }))
      })
      const source = (async function* () {
        for (let i = 0; i < 128; i++) {
          produced += chunk
          yield new Uint8Array(chunk).fill(i)
        }
      })()
      const response = await call(fromExpress(lazy), {
        method: 'POST',
        headers: { 'content-length': String(128 * chunk) },
        body: source,
        environ: { CONTENT_LENGTH: String(128 * chunk) },
      })
      expect(JSON.parse(response.text())).toEqual({ seen: 8 * 1024 * 1024 })
      expect(maxAhead).toBeLessThanOrEqual(512 * 1024)
    })
  })

  describe('responses', () => {
    const app = express()
    app.get('/status', (_req: Request, res: Response) => {
      res.status(201).set('X-Custom', 'yes').send('made')
    })
    app.get('/cookies', (_req: Request, res: Response) => {
      res.cookie('first', '1').cookie('second', '2', { httpOnly: true }).cookie('third', '3').send('ok')
    })
    app.get('/redirect', (_req: Request, res: Response) => res.redirect('/elsewhere'))
    app.get('/json', (_req: Request, res: Response) => res.json({ ok: true }))
    app.get('/file', (_req: Request, res: Response) => res.sendFile(fixture('hello.txt')))
    app.get('/download', (_req: Request, res: Response) => res.download(fixture('bytes.bin'), 'data.bin'))
    app.get('/binary', (_req: Request, res: Response) => res.type('application/octet-stream').send(BYTES))
    app.get('/teapot', (_req: Request, res: Response) => {
      res.statusMessage = 'Short And Stout'
      res.status(599).send('odd')
    })
    app.all('/method', (req: Request, res: Response) => res.send(req.method))
    app.set('env', 'production')
    app.get('/boom', () => {
      throw new Error('boom')
    })
    const gateway = fromExpress(app)

    it('sends status, headers and body as set', async () => {
      const response = await call(gateway, { url: '/status' })
      expect(response.status).toBe(201)
      expect(headerValues(response.headers, 'x-custom')).toEqual(['yes'])
      expect(headerValues(response.headers, 'content-length')).toEqual(['4'])
      expect(response.text()).toBe('made')
    })

    it('keeps every Set-Cookie, in order', async () => {
      const response = await call(gateway, { url: '/cookies' })
      expect(headerValues(response.headers, 'set-cookie')).toEqual([
        'first=1; Path=/',
        'second=2; Path=/; HttpOnly',
        'third=3; Path=/',
      ])
    })

    it('redirects, sends JSON, files and downloads', async () => {
      const redirect = await call(gateway, { url: '/redirect' })
      expect(redirect.status).toBe(302)
      expect(headerValues(redirect.headers, 'location')).toEqual(['/elsewhere'])
      const data = await call(gateway, { url: '/json' })
      expect(headerValues(data.headers, 'content-type')).toEqual(['application/json; charset=utf-8'])
      expect(JSON.parse(data.text())).toEqual({ ok: true })
      const file = await call(gateway, { url: '/file' })
      expect(file.text()).toBe('hello from a file\n')
      expect(headerValues(file.headers, 'content-length')).toEqual(['18'])
      const download = await call(gateway, { url: '/download' })
      expect(headerValues(download.headers, 'content-disposition')[0]).toMatch(
        /^attachment; filename="?data\.bin"?$/,
      )
      expect(Buffer.from(download.body).equals(BYTES)).toBe(true)
    })

    it('keeps binary bodies byte-exact', async () => {
      const response = await call(gateway, { url: '/binary' })
      expect(Buffer.from(response.body).equals(BYTES)).toBe(true)
    })

    it('keeps writeHead raw arrays in order, with their reason phrase', async () => {
      // Without X-Powered-By nothing was set before, so node writes the raw array as given.
      const raw = express().disable('x-powered-by')
      raw.get('/', (_req: Request, res: Response) => {
        res.writeHead(202, 'Taken', ['Set-Cookie', 'a=1', 'X-Two', 'x', 'Set-Cookie', 'b=2'])
        res.end('raw')
      })
      const response = await call(fromExpress(raw))
      expect(response.status).toBe(202)
      expect(response.statusText).toBe('Taken')
      expect(response.headers.slice(0, 3)).toEqual([
        ['Set-Cookie', 'a=1'],
        ['X-Two', 'x'],
        ['Set-Cookie', 'b=2'],
      ])
      expect(response.text()).toBe('raw')
    })

    it('passes unusual status codes and TRACE through', async () => {
      const odd = await call(gateway, { url: '/teapot' })
      expect([odd.status, odd.statusText, odd.text()]).toEqual([599, 'Short And Stout', 'odd'])
      const trace = await call(gateway, { method: 'TRACE', url: '/method' })
      expect(trace.text()).toBe('TRACE')
    })

    it('answers HEAD with the GET headers, Content-Length included, and no body', async () => {
      const response = await call(gateway, { method: 'HEAD', url: '/status' })
      expect(headerValues(response.headers, 'content-length')).toEqual(['4'])
      expect(response.body.byteLength).toBe(0)
    })

    it("keeps the framework's own 404 and 500 pages", async () => {
      const missing = await call(gateway, { url: '/nowhere' })
      expect(missing.status).toBe(404)
      expect(missing.text()).toContain('Cannot GET /nowhere')
      expect(headerValues(missing.headers, 'content-security-policy')).toEqual(["default-src 'none'"])
      // finalhandler logs the error outside 'test' and shows the stack outside 'production'.
      const log = vi.spyOn(console, 'error').mockImplementation(() => {})
      const boom = await call(gateway, { url: '/boom' })
      // finalhandler defers its log with setImmediate.
      await new Promise((resolve) => setImmediate(resolve))
      expect(log).toHaveBeenCalled()
      log.mockRestore()
      expect(boom.status).toBe(500)
      expect(boom.text()).toContain('Internal Server Error')
    })

    it('streams res.write chunk by chunk: the first arrives before the app writes the second', async () => {
      const second = deferred()
      const streaming = express()
      streaming.get('/sse', (_req: Request, res: Response) => {
        res.set('Content-Type', 'text/event-stream')
        res.write('data: one\n\n')
        second.promise.then(() => res.end('data: two\n\n'))
      })
      const opened = await open(fromExpress(streaming), { PATH_INFO: '/sse', RAW_URI: '/sse' })
      expect(opened.status).toBe('200 OK')
      const first = await opened.iterator.next()
      expect(text(first.value)).toBe('data: one\n\n')
      second.resolve()
      expect(text((await opened.iterator.next()).value)).toBe('data: two\n\n')
      expect((await opened.iterator.next()).done).toBe(true)
      await opened.close()
    })

    it('sends flushHeaders at once, before any body', async () => {
      const go = deferred()
      const flushing = express()
      flushing.get('/', (_req: Request, res: Response) => {
        res.status(200).set('X-Early', '1')
        res.flushHeaders()
        go.promise.then(() => res.end('late'))
      })
      const opened = await open(fromExpress(flushing))
      expect(headerValues(opened.headers, 'x-early')).toEqual(['1'])
      expect(opened.writes.map((chunk) => chunk.byteLength)).toEqual([0])
      go.resolve()
      expect(text((await opened.iterator.next()).value)).toBe('late')
      await opened.close()
    })
  })

  describe('errors', () => {
    const app = express()
    app.get('/sync', () => {
      throw Object.assign(new Error('sync'), { status: 418 })
    })
    app.get('/next', (_req: Request, _res: Response, next: NextFunction) => next(new Error('passed')))
    app.get('/async', (_req: Request, _res: Response, next: NextFunction) => {
      Promise.reject(new Error('later')).catch(next)
    })
    app.use((error: Error, _req: Request, res: Response, _next: NextFunction) => {
      res.status(503).json({ handled: error.message })
    })
    const gateway = fromExpress(app)

    it('routes sync throws, next(err) and async rejections to the error handler', async () => {
      for (const [url, message] of [
        ['/sync', 'sync'],
        ['/next', 'passed'],
        ['/async', 'later'],
      ] as const) {
        const response = await call(gateway, { url })
        expect(response.status).toBe(503)
        expect(JSON.parse(response.text())).toEqual({ handled: message })
      }
    })
  })
})

describe('express 5 only', () => {
  it('routes an async handler rejection (Express 5 promise support) to its final handler', async () => {
    const [, express] = EXPRESS_VERSIONS[1]
    const app = express()
    app.set('env', 'production')
    app.get('/', async () => {
      await Promise.resolve()
      throw Object.assign(new Error('rejected'), { status: 409, expose: true })
    })
    const log = vi.spyOn(console, 'error').mockImplementation(() => {})
    const response = await call(fromExpress(app))
    await new Promise((resolve) => setImmediate(resolve))
    log.mockRestore()
    expect(response.status).toBe(409)
    expect(response.text()).toContain('Conflict')
  })
})

const BYTES = Buffer.from(Array.from({ length: 1024 }, (_, i) => i % 256))

function fields(req: Request): Record<string, unknown> {
  const socket = req.socket as typeof req.socket & { encrypted?: boolean }
  return {
    method: req.method,
    url: req.url,
    originalUrl: req.originalUrl,
    path: req.path,
    query: req.query,
    httpVersion: req.httpVersion,
    headers: req.headers,
    rawHeaders: req.rawHeaders,
    ip: req.ip,
    ips: req.ips,
    protocol: req.protocol,
    secure: req.secure,
    hostname: req.hostname,
    remoteAddress: socket.remoteAddress,
    remotePort: socket.remotePort,
    remoteFamily: socket.remoteFamily,
    encrypted: socket.encrypted ?? false,
    body: req.body,
  }
}
