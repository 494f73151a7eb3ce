import net from 'node:net'
import { Readable } from 'node:stream'
import type { App, HeaderList } from '@tsgi/core'
import { afterEach, describe, expect, it } from 'vitest'
import type { TsgiServer } from '../src/server-options.ts'
import { deferred } from './helpers/apps.ts'
import { normalize, RawClient, roundTrip, start } from './helpers/raw-client.ts'

let server: TsgiServer | undefined
afterEach(async () => {
  await server?.close()
  server = undefined
})

async function* generate(...parts: string[]): AsyncGenerator<Uint8Array> {
  for (const part of parts) yield Buffer.from(part)
}

function app(
  status: string,
  headers: HeaderList,
  body: () => Iterable<Uint8Array> | AsyncIterable<Uint8Array>,
): App {
  return (_environ, startResponse) => {
    startResponse(status, headers)
    return body()
  }
}

async function get(a: App, request: string, options = {}): Promise<string> {
  const s = await start(a, options)
  server = s.server
  return normalize(await roundTrip(s.port, request))
}

const GET11 = 'GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'

describe('response framing', () => {
  it('sends Content-Length for an array body', async () => {
    const text = await get(
      app('200 OK', [], () => [Buffer.from('ab'), Buffer.from('cd')]),
      GET11,
    )
    expect(text).toBe(
      'HTTP/1.1 200 OK\r\nDate: X\r\nServer: tsgi\r\nContent-Length: 4\r\nConnection: close\r\n\r\nabcd',
    )
  })

  it('sends chunked on HTTP/1.1 when the length is unknown', async () => {
    const text = await get(
      app('200 OK', [], () => generate('ab', '', 'cde')),
      GET11,
    )
    expect(text).toBe(
      'HTTP/1.1 200 OK\r\nDate: X\r\nServer: tsgi\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n' +
        '2\r\nab\r\n3\r\ncde\r\n0\r\n\r\n',
    )
  })

  it('delimits by close on HTTP/1.0 when the length is unknown', async () => {
    const text = await get(
      app('200 OK', [], () => generate('ab', 'cde')),
      'GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n',
    )
    expect(text).toBe('HTTP/1.1 200 OK\r\nDate: X\r\nServer: tsgi\r\nConnection: close\r\n\r\nabcde')
  })

  it("uses the app's Content-Length and streams without chunking", async () => {
    const text = await get(
      app('200 OK', [['Content-Length', '5']], () => generate('ab', 'cde')),
      GET11,
    )
    expect(text).toBe(
      'HTTP/1.1 200 OK\r\nContent-Length: 5\r\nDate: X\r\nServer: tsgi\r\nConnection: close\r\n\r\nabcde',
    )
  })

  it('keeps Content-Length and sends no body for HEAD', async () => {
    const text = await get(
      app('200 OK', [], () => [Buffer.from('hello')]),
      'HEAD / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n',
    )
    expect(text).toBe(
      'HTTP/1.1 200 OK\r\nDate: X\r\nServer: tsgi\r\nContent-Length: 5\r\nConnection: close\r\n\r\n',
    )
  })

  it('adds no Content-Length for HEAD when the app returns an empty body without one', async () => {
    const text = await get(
      app('200 OK', [], () => []),
      'HEAD / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n',
    )
    expect(text).toBe('HTTP/1.1 200 OK\r\nDate: X\r\nServer: tsgi\r\nConnection: close\r\n\r\n')
  })

  it("keeps the app's own Content-Length for HEAD with an empty body", async () => {
    const text = await get(
      app('200 OK', [['Content-Length', '42']], () => []),
      'HEAD / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n',
    )
    expect(text).toBe(
      'HTTP/1.1 200 OK\r\nContent-Length: 42\r\nDate: X\r\nServer: tsgi\r\nConnection: close\r\n\r\n',
    )
  })

  it('sends no body and no Content-Length for 204', async () => {
    const text = await get(
      app('204 No Content', [['Content-Length', '3']], () => [Buffer.from('abc')]),
      GET11,
    )
    expect(text).toBe('HTTP/1.1 204 No Content\r\nDate: X\r\nServer: tsgi\r\nConnection: close\r\n\r\n')
  })

  it('sends no body for 304 and keeps the connection usable', async () => {
    const s = await start(app('304 Not Modified', [['ETag', '"a"']], () => [Buffer.from('abc')]))
    server = s.server
    const client = await RawClient.connect(s.port)
    client.write('GET / HTTP/1.1\r\nHost: x\r\n\r\nGET / HTTP/1.1\r\nHost: x\r\n\r\n')
    const one = 'HTTP/1.1 304 Not Modified\r\nETag: "a"\r\nDate: X\r\nServer: tsgi\r\n\r\n'
    await client.waitFor((t) => normalize(t) === one + one)
    client.destroy()
  })

  it('truncates a body longer than its Content-Length, and logs it', async () => {
    const logs: string[] = []
    const text = await get(
      app('200 OK', [['Content-Length', '3']], () => generate('ab', 'cdef')),
      GET11,
      {
        errorLog: (t: string) => logs.push(t),
      },
    )
    expect(text.endsWith('\r\n\r\nabc')).toBe(true)
    expect(logs.join('')).toMatch(/longer than its Content-Length/)
  })

  it('closes the connection when the body is shorter than its Content-Length', async () => {
    const s = await start(app('200 OK', [['Content-Length', '10']], () => generate('abc')))
    server = s.server
    const text = await roundTrip(s.port, 'GET / HTTP/1.1\r\nHost: x\r\n\r\n')
    expect(text.endsWith('\r\n\r\nabc')).toBe(true)
  })

  it("drops the app's hop-by-hop fields and honours its Connection: close", async () => {
    const headers: HeaderList = [
      ['Transfer-Encoding', 'chunked'],
      ['Keep-Alive', 'timeout=5'],
      ['Connection', 'close'],
      ['Upgrade', 'h2c'],
      ['X-Kept', '1'],
    ]
    const s = await start(app('200 OK', headers, () => [Buffer.from('ok')]))
    server = s.server
    const text = normalize(await roundTrip(s.port, 'GET / HTTP/1.1\r\nHost: x\r\n\r\n'))
    expect(text).toBe(
      'HTTP/1.1 200 OK\r\nX-Kept: 1\r\nDate: X\r\nServer: tsgi\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok',
    )
  })

  it("keeps the app's own Date and Server, and can leave Server out", async () => {
    const s = await start(
      app(
        '200 OK',
        [
          ['Date', 'then'],
          ['Server', 'mine'],
        ],
        () => [],
      ),
    )
    const own = await roundTrip(s.port, GET11)
    await s.server.close()
    expect(own).toBe(
      'HTTP/1.1 200 OK\r\nDate: then\r\nServer: mine\r\nContent-Length: 0\r\nConnection: close\r\n\r\n',
    )
    const none = await get(
      app('200 OK', [], () => []),
      GET11,
      { serverHeader: false },
    )
    expect(none).toBe('HTTP/1.1 200 OK\r\nDate: X\r\nContent-Length: 0\r\nConnection: close\r\n\r\n')
  })

  it('puts a Date in IMF-fixdate form on every response', async () => {
    const s = await start(app('200 OK', [], () => []))
    server = s.server
    const text = await roundTrip(s.port, GET11)
    expect(text).toMatch(/\r\nDate: (Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d\d \w{3} \d{4} \d\d:\d\d:\d\d GMT\r\n/)
  })

  it('keeps every Set-Cookie and binary bytes intact', async () => {
    const bytes = Buffer.from([0, 255, 13, 10, 128])
    const text = await get(
      app(
        '200 OK',
        [
          ['Set-Cookie', 'a=1'],
          ['Set-Cookie', 'b=2'],
        ],
        () => [bytes],
      ),
      GET11,
    )
    expect(text).toContain('Set-Cookie: a=1\r\nSet-Cookie: b=2\r\n')
    expect(text.endsWith(`\r\n\r\n${bytes.toString('latin1')}`)).toBe(true)
  })

  // The server writes a small response as one latin-1 string, a middling one as one copied
  // buffer, a large one as corked pieces: every byte value must survive each way, for a
  // whole body and for chunked pieces.
  for (const size of [256, 20 * 1024, 100 * 1024]) {
    it(`sends every byte value intact in a ${size}-byte body, whole and chunked`, async () => {
      const bytes = Buffer.alloc(size, 0)
      for (let i = 0; i < size; i++) bytes[i] = (i * 7 + (i >> 8)) & 255
      // A plain Uint8Array view at an offset, not a Buffer: the body type apps may return.
      const view = new Uint8Array(new ArrayBuffer(size + 3), 3, size)
      view.set(bytes)
      const whole = await get(
        app('200 OK', [], () => [view]),
        GET11,
      )
      expect(Buffer.from(whole.slice(whole.indexOf('\r\n\r\n') + 4), 'latin1').equals(bytes)).toBe(true)
      await server?.close()
      const chunked = await get(
        app('200 OK', [], () => Readable.from([bytes.subarray(0, 100), bytes.subarray(100)])),
        GET11,
      )
      const body = chunked.slice(chunked.indexOf('\r\n\r\n') + 4)
      const expected = `64\r\n${bytes.subarray(0, 100).toString('latin1')}\r\n${(size - 100).toString(16)}\r\n${bytes.subarray(100).toString('latin1')}\r\n0\r\n\r\n`
      expect(body === expected).toBe(true)
    })
  }

  it('closes an array body only once a slow reader has taken its bytes', async () => {
    const big = Buffer.alloc(16 * 1024 * 1024, 97)
    let closedAt = 0
    const s = await start((_environ, startResponse) => {
      startResponse('200 OK', [])
      return Object.assign([big], {
        close() {
          closedAt = Date.now()
        },
      })
    })
    server = s.server
    const client = net.connect(s.port, '127.0.0.1')
    client.pause()
    client.write(GET11)
    // Far more than the socket buffers hold: the server waits for the reader.
    await new Promise((r) => setTimeout(r, 300))
    expect(closedAt).toBe(0)
    let received = 0
    client.on('data', (chunk: Buffer) => {
      received += chunk.length
    })
    const resumedAt = Date.now()
    client.resume()
    await new Promise((r) => client.on('end', r))
    expect(received).toBeGreaterThan(big.length)
    expect(closedAt).toBeGreaterThanOrEqual(resumedAt)
    client.destroy()
  })

  it('streams a node Readable body (async iterable) chunked', async () => {
    const text = await get(
      app('200 OK', [], () => Readable.from([Buffer.from('ab'), Buffer.from('c')])),
      GET11,
    )
    expect(text.endsWith('\r\n\r\n2\r\nab\r\n1\r\nc\r\n0\r\n\r\n')).toBe(true)
  })

  it('answers 500 naming the rule when the body is not iterable', async () => {
    const logs: string[] = []
    const returnsNull: App = (_e, sr) => {
      sr('200 OK', [])
      return null as never
    }
    const text = await get(returnsNull, GET11, { errorLog: (t: string) => logs.push(t) })
    expect(text).toMatch(/^HTTP\/1\.1 500 Internal Server Error\r\n/)
    expect(logs.join('')).toMatch(/AppResponseError: the app must return an iterable of Uint8Array, got null/)
  })

  it('writes through the legacy write() before the returned body', async () => {
    const legacy: App = (_environ, startResponse) => {
      const write = startResponse('200 OK', [])
      void write(Buffer.from('ab'))
      return [Buffer.from('cd')]
    }
    const text = await get(legacy, GET11)
    expect(text).toContain('Transfer-Encoding: chunked')
    expect(text.endsWith('\r\n\r\n2\r\nab\r\n2\r\ncd\r\n0\r\n\r\n')).toBe(true)
  })

  it('sends the head at the first write(), even an empty one, before the body is ready', async () => {
    const later = deferred()
    const flushing: App = async (_environ, startResponse) => {
      const write = startResponse('200 OK', [['Content-Type', 'text/event-stream']])
      await write(new Uint8Array(0)) // res.flushHeaders() through the Node bridge
      await later.promise
      return [Buffer.from('data: x\n\n')]
    }
    const s = await start(flushing)
    server = s.server
    const client = await RawClient.connect(s.port)
    client.write(GET11)
    const head = normalize(await client.waitFor((t) => t.includes('\r\n\r\n')))
    expect(head).toBe(
      'HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nDate: X\r\nServer: tsgi\r\n' +
        'Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n',
    )
    later.resolve()
    expect((await client.whenClosed()).endsWith('\r\n\r\n9\r\ndata: x\n\n\r\n0\r\n\r\n')).toBe(true)
  })

  it('holds the head over empty chunks from the body iterable (only write() flushes it)', async () => {
    const later = deferred()
    let yieldedEmpty = false
    const waiting: App = (_environ, startResponse) => {
      startResponse('200 OK', [])
      return (async function* () {
        yield new Uint8Array(0)
        yieldedEmpty = true
        await later.promise
        yield Buffer.from('late')
      })()
    }
    const s = await start(waiting)
    server = s.server
    const client = await RawClient.connect(s.port)
    client.write(GET11)
    await new Promise((r) => setTimeout(r, 30))
    expect(yieldedEmpty).toBe(true)
    expect(client.text).toBe('')
    later.resolve()
    expect(await client.whenClosed()).toMatch(/\r\n\r\n4\r\nlate\r\n0\r\n\r\n$/)
  })
})
