// The same Hono app on @hono/node-server and through fromHono (hosted on node:http by
// toNodeHandler), over real sockets: status, headers (minus Date) and body must match.
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { type ServerType, serve } from '@hono/node-server'
import { serveStatic } from '@hono/node-server/serve-static'
import { Hono } from 'hono'
import { setCookie } from 'hono/cookie'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { fromHono } from '../../src/hono.ts'
import { toNodeHandler } from '../../src/to-node-handler.ts'
import { validate } from './helpers.ts'

const app = new Hono()
  .get('/', (c) => c.text('Hello, World!'))
  .get('/json', (c) => c.json({ a: [1, 2, 3], s: 'é' }, 201))
  .post('/echo', async (c) => c.json({ got: await c.req.json() }))
  .post('/form', async (c) => c.json(await c.req.parseBody()))
  .get('/cookies', (c) => {
    setCookie(c, 'a', '1')
    setCookie(c, 'b', '2', { httpOnly: true, path: '/x' })
    return c.text('cookies')
  })
  .get('/redirect', (c) => c.redirect('/json', 301))
  .get('/bytes', (c) =>
    c.body(new Uint8Array([0, 1, 2, 253, 254, 255]), 200, { 'content-type': 'application/octet-stream' }),
  )
  // No type: @hono/node-server sends its default, text/plain; charset=UTF-8.
  .get('/untyped', (c) => c.body(new Uint8Array([1, 2, 3])))
  .get(
    '/untyped-stream',
    () =>
      new Response(
        new ReadableStream({
          start(controller) {
            controller.enqueue(new Uint8Array([4, 5]))
            controller.close()
          },
        }),
      ),
  )
  // A code node:http has no reason phrase for: node writes `unknown`.
  .get('/unregistered', () => new Response('odd', { status: 299 }))
  .get('/teapot', (c) => c.text('short and stout', 418))
  // A file from disk, whole and in ranges (vitest runs in packages/adapters).
  .get(
    '/static/*',
    serveStatic({ root: 'test/fixtures', rewriteRequestPath: (path) => path.slice('/static'.length) }),
  )
  .get('/fail', () => {
    throw new Error('boom')
  })

let native: ServerType
let adapted: Server
const base = { native: '', adapted: '' }

beforeAll(async () => {
  await new Promise<void>((resolve) => {
    // overrideGlobalObjects: false keeps this process's Request/Response untouched for the adapter.
    native = serve(
      { fetch: app.fetch, hostname: '127.0.0.1', port: 0, overrideGlobalObjects: false },
      (info) => {
        base.native = `http://127.0.0.1:${info.port}`
        resolve()
      },
    )
  })
  adapted = createServer(toNodeHandler(validate(fromHono(app))))
  await new Promise<void>((resolve) => adapted.listen(0, '127.0.0.1', resolve))
  base.adapted = `http://127.0.0.1:${(adapted.address() as AddressInfo).port}`
})

afterAll(async () => {
  await new Promise((resolve) => native.close(resolve))
  await new Promise((resolve) => adapted.close(resolve))
})

/** Framing is each host's own choice (an empty body may go out chunked or as `Content-Length: 0`). */
const FRAMING = new Set(['date', 'transfer-encoding', 'content-length'])

interface Snapshot {
  status: number
  statusText: string
  headers: Array<[string, string]>
  length: string | null
  body: number[]
}

async function snapshot(url: string, init?: RequestInit): Promise<Snapshot> {
  const response = await fetch(url, { redirect: 'manual', ...init })
  const headers = [...response.headers].filter(([name]) => !FRAMING.has(name))
  const length = response.headers.get('content-length')
  const body = [...new Uint8Array(await response.arrayBuffer())]
  return { status: response.status, statusText: response.statusText, headers, length, body }
}

const cases: Array<[string, RequestInit?]> = [
  ['/'],
  ['/json'],
  ['/echo', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"x":[1,"é"]}' }],
  [
    '/form',
    {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'a=1&b=caf%C3%A9',
    },
  ],
  ['/cookies'],
  ['/redirect'],
  ['/bytes'],
  ['/untyped'],
  ['/untyped-stream'],
  ['/', { method: 'HEAD' }],
  ['/missing'],
  ['/unregistered'],
  ['/teapot'],
  ['/static/bytes.bin'],
  ['/static/bytes.bin', { headers: { range: 'bytes=0-9' } }],
  ['/static/bytes.bin', { headers: { range: 'bytes=-5' } }],
  ['/static/bytes.bin', { headers: { range: 'bytes=100000-' } }],
  ['/static/bytes.bin', { method: 'HEAD', headers: { range: 'bytes=2-3' } }],
  ['/static/missing.bin'],
  ['/fail'],
]

describe('fromHono against @hono/node-server', () => {
  it.each(cases)('%s answers the same', async (path, init) => {
    const expected = await snapshot(`${base.native}${path}`, init)
    const actual = await snapshot(`${base.adapted}${path}`, init)
    expect({ ...actual, length: null }).toEqual({ ...expected, length: null })
    // Where @hono/node-server sends a Content-Length, the adapter must send the same one.
    if (expected.length !== null) expect(actual.length).toBe(expected.length)
  })
})
