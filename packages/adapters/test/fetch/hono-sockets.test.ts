// Streaming and disconnects over a real socket: fromHono hosted on node:http by toNodeHandler.
import { once } from 'node:events'
import {
  createServer,
  request as httpRequest,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http'
import type { AddressInfo } from 'node:net'
import { createErrorBuffer } from '@tsgi/core'
import { Hono } from 'hono'
import { streamSSE } from 'hono/streaming'
import { afterEach, describe, expect, it } from 'vitest'
import { fromHono } from '../../src/hono.ts'
import { toNodeHandler } from '../../src/to-node-handler.ts'
import { deferred, validate } from './helpers.ts'

let server: Server | undefined

afterEach(async () => {
  await new Promise((resolve) => server?.close(resolve))
  server = undefined
})

/** What the adapters wrote to `tsgi.errors` (toNodeHandler's error stream) in this test. */
let errors = createErrorBuffer()

async function listen(app: Hono): Promise<number> {
  errors = createErrorBuffer()
  server = createServer(toNodeHandler(validate(fromHono(app)), { errors }))
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve))
  return (server.address() as AddressInfo).port
}

function get(port: number, path: string): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    httpRequest({ host: '127.0.0.1', port, path }, resolve).on('error', reject).end()
  })
}

function nextData(response: IncomingMessage): Promise<string> {
  return new Promise((resolve) => response.once('data', (chunk: Buffer) => resolve(chunk.toString())))
}

it('delivers each SSE event before the next one is written', async () => {
  const gate = deferred()
  const app = new Hono().get('/events', (c) =>
    streamSSE(c, async (stream) => {
      await stream.writeSSE({ data: 'one' })
      await gate.promise
      await stream.writeSSE({ data: 'two' })
    }),
  )
  const response = await get(await listen(app), '/events')
  expect(response.headers['content-type']).toBe('text/event-stream')
  expect(await nextData(response)).toBe('data: one\n\n')
  gate.resolve()
  expect(await nextData(response)).toBe('data: two\n\n')
})

it('aborts c.req.raw.signal and the SSE stream when the client hangs up', async () => {
  const aborted = deferred()
  const streamAborted = deferred()
  const app = new Hono().get('/events', (c) => {
    c.req.raw.signal.addEventListener('abort', () => aborted.resolve())
    return streamSSE(c, async (stream) => {
      stream.onAbort(() => streamAborted.resolve())
      await stream.writeSSE({ data: 'hello' })
      while (!stream.aborted) await stream.sleep(5)
    })
  })
  const response = await get(await listen(app), '/events')
  expect(await nextData(response)).toBe('data: hello\n\n')
  response.socket.destroy()
  await aborted.promise
  await streamAborted.promise
})

it('reads a 1 MiB upload with c.req.json() and c.req.arrayBuffer(), sent in many chunks', async () => {
  const app = new Hono()
    .post('/json', async (c) => c.json({ items: ((await c.req.json()) as { items: number[] }).items.length }))
    .post('/bytes', async (c) => {
      const bytes = new Uint8Array(await c.req.arrayBuffer())
      return c.json({ length: bytes.byteLength, sum: bytes.reduce((sum, byte) => (sum + byte) % 65521, 0) })
    })
  const port = await listen(app)
  const items = Array.from({ length: 200_000 }, (_, i) => i)
  const json = Buffer.from(JSON.stringify({ items }))
  const bytes = Buffer.from(Array.from({ length: 1 << 20 }, (_, i) => (i * 7) % 256))
  const expectedSum = bytes.reduce((sum, byte) => (sum + byte) % 65521, 0)
  expect(json.byteLength).toBeGreaterThan(1 << 20)
  expect(await post(port, '/json', json)).toEqual({ items: 200_000 })
  expect(await post(port, '/bytes', bytes)).toEqual({ length: 1 << 20, sum: expectedSum })
})

/** POSTs `body` in 16 KiB writes and parses the JSON answer. */
function post(port: number, path: string, body: Buffer): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const request = httpRequest({ host: '127.0.0.1', port, path, method: 'POST' }, (response) => {
      const chunks: Buffer[] = []
      response.on('data', (chunk: Buffer) => chunks.push(chunk))
      response.on('end', () => resolve(JSON.parse(Buffer.concat(chunks).toString())))
    })
    request.on('error', reject)
    for (let offset = 0; offset < body.byteLength; offset += 16384) {
      request.write(body.subarray(offset, offset + 16384))
    }
    request.end()
  })
}

it('sends a large body that was complete at once with its Content-Length, a produced one chunked', async () => {
  const big = new Uint8Array(300_000).fill(7)
  const piece = new Uint8Array(65_536).fill(8)
  const app = new Hono()
    .get('/whole', (c) => c.body(big))
    .get('/produced', () => {
      let left = 40
      // A producer with every chunk ready at once: only the first ones may be read ahead.
      return new Response(
        new ReadableStream<Uint8Array>({
          pull(controller) {
            if (left-- > 0) controller.enqueue(piece)
            else controller.close()
          },
        }),
      )
    })
  const port = await listen(app)
  const whole = await get(port, '/whole')
  expect(whole.headers['content-length']).toBe('300000')
  expect(Buffer.concat(await whole.toArray()).equals(Buffer.from(big))).toBe(true)
  const produced = await get(port, '/produced')
  expect(produced.headers['content-length']).toBeUndefined()
  expect(produced.headers['transfer-encoding']).toBe('chunked')
  expect(Buffer.concat(await produced.toArray()).length).toBe(40 * 65_536)
})

describe('an app that writes to c.env.outgoing itself, as on @hono/node-server', () => {
  type Outgoing = { Bindings: { incoming: IncomingMessage; outgoing: ServerResponse } }

  it('streams from its first write, while its handler still runs', async () => {
    const { RESPONSE_ALREADY_SENT } = await import('@hono/node-server/utils/response')
    const gate = deferred()
    const app = new Hono<Outgoing>().get('/events', async (c) => {
      const res = c.env.outgoing
      res.writeHead(200, { 'content-type': 'text/event-stream' })
      res.write('data: 0\n\n')
      await gate.promise
      res.end('data: 1\n\n')
      return RESPONSE_ALREADY_SENT
    })
    const response = await get(await listen(app as unknown as Hono), '/events')
    expect(response.headers['content-type']).toBe('text/event-stream')
    expect(await nextData(response)).toBe('data: 0\n\n')
    gate.resolve()
    expect(await nextData(response)).toBe('data: 1\n\n')
  })

  it("lets a handler that awaits 'drain' write 2 MiB", async () => {
    const { RESPONSE_ALREADY_SENT } = await import('@hono/node-server/utils/response')
    const piece = Buffer.alloc(65_536, 1)
    const app = new Hono<Outgoing>().get('/big', async (c) => {
      const res = c.env.outgoing
      res.writeHead(200, { 'content-type': 'application/octet-stream' })
      for (let i = 0; i < 32; i++) if (!res.write(piece)) await once(res, 'drain')
      res.end()
      return RESPONSE_ALREADY_SENT
    })
    const response = await get(await listen(app as unknown as Hono), '/big')
    expect(Buffer.concat(await response.toArray()).length).toBe(32 * 65_536)
  })

  it("echoes a request piped into outgoing, the handler awaiting 'finish'", async () => {
    const { RESPONSE_ALREADY_SENT } = await import('@hono/node-server/utils/response')
    const app = new Hono<Outgoing>().post('/echo', async (c) => {
      const res = c.env.outgoing
      res.writeHead(200, { 'content-type': 'application/octet-stream' })
      c.env.incoming.pipe(res)
      await once(res, 'finish')
      return RESPONSE_ALREADY_SENT
    })
    const body = Buffer.from(Array.from({ length: 300_000 }, (_, i) => i % 251))
    const port = await listen(app as unknown as Hono)
    const echoed = await new Promise<Buffer>((resolve, reject) => {
      const request = httpRequest({ host: '127.0.0.1', port, path: '/echo', method: 'POST' }, (response) => {
        response.toArray().then((chunks) => resolve(Buffer.concat(chunks)), reject)
      })
      request.on('error', reject)
      request.end(body)
    })
    expect(echoed.equals(body)).toBe(true)
  })

  it('a handler that fails after its own head cuts the connection and is logged', async () => {
    const app = new Hono<Outgoing>().get('/half', async (c) => {
      const res = c.env.outgoing
      res.writeHead(200, { 'content-type': 'text/plain' })
      res.write('half')
      await new Promise((resolve) => setTimeout(resolve, 10))
      throw new Error('after the head')
    })
    app.onError((error) => {
      throw error
    })
    const response = await get(await listen(app as unknown as Hono), '/half')
    expect(await nextData(response)).toBe('half')
    await once(response, 'aborted')
    expect(errors.text()).toMatch(/^@tsgi\/adapters fromHono: Error: after the head\n\s+at /)
  })

  it('answers an empty 500 through outgoing, keeping its headers, when the handler fails after touching it', async () => {
    const app = new Hono<Outgoing>().get('/fail', (c) => {
      c.env.outgoing.setHeader('x-o', '1')
      throw new Error('handler broke')
    })
    app.onError((error) => {
      throw error
    })
    const response = await get(await listen(app as unknown as Hono), '/fail')
    expect(response.statusCode).toBe(500)
    expect(response.headers['x-o']).toBe('1')
    expect(Buffer.concat(await response.toArray()).length).toBe(0)
    expect(errors.text()).toMatch(/^@tsgi\/adapters fromHono: Error: handler broke\n/)
  })

  it('sends its head and cuts the body when the handler throws at once after writing to outgoing', async () => {
    const app = new Hono<Outgoing>().get('/sync', (c) => {
      const res = c.env.outgoing
      res.writeHead(200, { 'content-type': 'text/plain' })
      res.write('x')
      throw new Error('sync after head')
    })
    app.onError((error) => {
      throw error
    })
    const response = await get(await listen(app as unknown as Hono), '/sync')
    expect(response.statusCode).toBe(200)
    expect(await nextData(response)).toBe('x')
    await once(response, 'end').catch(() => undefined)
    expect(errors.text()).toContain('Error: sync after head')
  })

  it('answers 500 with the error, as @hono/node-server does, when writing its Response into outgoing fails', async () => {
    const app = new Hono<Outgoing>().get('/bad', (c) => {
      c.env.outgoing.setHeader('x-o', '1')
      return new Response('hi', { headers: { 'x-bad': 'a\x01b' } }) // node refuses the value
    })
    const response = await get(await listen(app as unknown as Hono), '/bad')
    expect(response.statusCode).toBe(500)
    expect(Buffer.concat(await response.toArray()).toString()).toBe(
      'Error: Invalid character in header content ["x-bad"]',
    )
    expect(errors.text()).toMatch(/^@tsgi\/adapters fromHono: TypeError.*Invalid character in header content/)
  })

  it('sends the head, then cuts the body and logs, when the Response stream fails (outgoing touched)', async () => {
    const app = new Hono<Outgoing>().get('/broken', (c) => {
      c.env.outgoing.setHeader('x-o', '1')
      return new Response(
        new ReadableStream({
          pull() {
            throw new Error('stream broke')
          },
        }),
      )
    })
    const response = await get(await listen(app as unknown as Hono), '/broken')
    expect(response.statusCode).toBe(200)
    expect(response.headers['content-type']).toBe('text/plain; charset=UTF-8')
    await once(response, 'aborted')
    expect(errors.text()).toMatch(/^@tsgi\/adapters fromHono: Error: stream broke\n/)
  })
})
