import { fileURLToPath } from 'node:url'
import type { HeaderList } from '@tsgi/core'
import type { NextFunction, Request, Response } from 'express'
import type { Context } from 'koa'
import { describe, expect, it } from 'vitest'
import { fromExpress } from '../../src/express.ts'
import { fromKoa } from '../../src/koa.ts'
import { call, EXPRESS_VERSIONS, KOA_VERSIONS, native } from './helpers.ts'

// The differential check of feature-anchors (d) idea 1: the same app on its own node:http server
// and through the adapter must answer the same status, header lines (in order) and bytes. Only
// Date (a clock) and the connection's own hop-by-hop fields, which the gateway server frames
// itself, may differ.
const CONNECTION_FIELDS = new Set(['date', 'connection', 'keep-alive', 'transfer-encoding'])
const comparable = (headers: HeaderList): HeaderList =>
  headers.filter(([name]) => !CONNECTION_FIELDS.has(name.toLowerCase()))

const REQUESTS: Array<{ method: string; url: string; headers?: Record<string, string>; body?: string }> = [
  { method: 'GET', url: '/page?x=1&y=%20', headers: { 'x-forwarded-for': '203.0.113.9' } },
  { method: 'POST', url: '/json', headers: { 'content-type': 'application/json' }, body: '{"a":[1,"é"]}' },
  {
    method: 'POST',
    url: '/form',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: 'a=1&a=2',
  },
  { method: 'GET', url: '/stream' },
  { method: 'HEAD', url: '/page' },
  { method: 'GET', url: '/file' },
  // Ranges of a file (send, behind res.sendFile): 206 with Content-Range, a suffix range, an
  // unsatisfiable one (416), several at once (send answers the whole file), and If-Range.
  { method: 'GET', url: '/file', headers: { range: 'bytes=0-9' } },
  { method: 'GET', url: '/file', headers: { range: 'bytes=-5' } },
  { method: 'GET', url: '/file', headers: { range: 'bytes=100000-' } },
  { method: 'GET', url: '/file', headers: { range: 'bytes=0-1,4-5' } },
  { method: 'GET', url: '/file', headers: { range: 'bytes=0-9', 'if-range': '"stale"' } },
  { method: 'HEAD', url: '/file', headers: { range: 'bytes=2-3' } },
  { method: 'GET', url: '/write-head' },
  { method: 'GET', url: '/redirect' },
  { method: 'GET', url: '/boom' },
  { method: 'DELETE', url: '/no/such/route' },
  // A latin-1 filename: node mangles the value into a character above U+00FF and puts its low
  // byte on the wire (nodejs/node#46528); the bridge must send that same byte, not fail.
  { method: 'GET', url: '/attachment' },
  { method: 'GET', url: '/latin-value' },
  // A raw client's fragment: req.url keeps it and stays raw, so %2F still routes as one segment.
  { method: 'GET', url: '/param/a%2Fb#frag' },
]

describe.each(EXPRESS_VERSIONS)('%s: adapter vs its own node:http server', (_name, express) => {
  const app = express()
  app.set('env', 'test')
  app.set('trust proxy', 'loopback')
  app.use(express.json())
  app.use(express.urlencoded({ extended: false }))
  app.get('/page', (req: Request, res: Response) => {
    res.cookie('session', 'abc', { httpOnly: true }).cookie('theme', 'dark')
    res
      .set('X-Ip', String(req.ip))
      .set('X-Protocol', req.protocol)
      .send(`<h1>${JSON.stringify(req.query)}</h1>`)
  })
  app.post('/json', (req: Request, res: Response) => res.status(201).json({ got: req.body }))
  app.post('/form', (req: Request, res: Response) => res.json(req.body))
  app.get('/stream', (_req: Request, res: Response) => {
    res.type('text/plain')
    res.write('a')
    setImmediate(() => {
      res.write(Buffer.from([0, 255]))
      res.end('z')
    })
  })
  app.get('/file', (_req: Request, res: Response) =>
    res.sendFile(fileURLToPath(new URL('../fixtures/bytes.bin', import.meta.url))),
  )
  app.get('/write-head', (_req: Request, res: Response) => {
    res.writeHead(200, ['X-B', '1', 'Set-Cookie', 'a=1', 'Set-Cookie', 'b=2'])
    res.end()
  })
  app.get('/redirect', (_req: Request, res: Response) => res.redirect(301, '/page'))
  app.get('/param/:id', (req: Request, res: Response) => res.json({ url: req.url, id: req.params.id }))
  app.get('/boom', (_req: Request, _res: Response, next: NextFunction) => next(new Error('boom')))
  app.get('/attachment', (_req: Request, res: Response) => res.attachment('naïve file.pdf').send('pdfdata'))
  app.get('/latin-value', (_req: Request, res: Response) =>
    res.set('Content-Disposition', 'attachment; filename="café.txt"').send(Buffer.from('x')),
  )

  it.each(REQUESTS)('$method $url $headers', async (req) => {
    const wire = await native(app, req)
    const bridged = await call(fromExpress(app), { ...req, environ: { REMOTE_ADDR: '127.0.0.1' } })
    expect(bridged.status).toBe(wire.status)
    expect(bridged.statusText).toBe(wire.statusText)
    expect(comparable(bridged.headers)).toEqual(comparable(wire.headers))
    expect(Buffer.from(bridged.body).equals(wire.body)).toBe(true)
  })
})

describe.each(KOA_VERSIONS)('%s: adapter vs its own node:http server', (_name, Koa) => {
  const app = new Koa()
  app.silent = true
  app.use(async (ctx: Context) => {
    if (ctx.path === '/page') {
      ctx.cookies.set('session', 'abc')
      ctx.cookies.set('theme', 'dark', { httpOnly: false })
      ctx.set('X-Ip', ctx.ip)
      ctx.body = `<h1>${JSON.stringify(ctx.query)}</h1>`
    } else if (ctx.path === '/json' || ctx.path === '/form') {
      let text = ''
      for await (const chunk of ctx.req) text += chunk
      ctx.status = 201
      ctx.body = { got: text }
    } else if (ctx.path === '/redirect') {
      ctx.status = 301
      ctx.redirect('/page')
    } else if (ctx.path === '/boom') {
      ctx.throw(500, 'boom')
    } else if (ctx.path === '/stream') {
      ctx.body = Buffer.from([1, 2, 3])
    } else if (ctx.path === '/attachment') {
      ctx.attachment('résumé.csv')
      ctx.body = Buffer.from('a,b')
    } else if (ctx.path.startsWith('/param/')) {
      ctx.body = { url: ctx.url, path: ctx.path }
    } else if (ctx.path === '/latin-value') {
      ctx.set('X-Name', 'café')
      ctx.body = 'text'
    }
  })
  const handler = app.callback()

  it.each(REQUESTS)('$method $url $headers', async (req) => {
    const wire = await native(handler, req)
    const bridged = await call(fromKoa(app), { ...req, environ: { REMOTE_ADDR: '127.0.0.1' } })
    expect(bridged.status).toBe(wire.status)
    expect(bridged.statusText).toBe(wire.statusText)
    expect(comparable(bridged.headers)).toEqual(comparable(wire.headers))
    expect(Buffer.from(bridged.body).equals(wire.body)).toBe(true)
  })
})
