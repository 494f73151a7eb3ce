import type { IncomingMessage, ServerResponse } from 'node:http'
import type { HeaderList, InputStream, StartResponse } from '@tsgi/core'
import { createEnviron, createErrorBuffer } from '@tsgi/core'
import { describe, expect, it } from 'vitest'
import { createIncomingMessage } from '../src/node-bridge/incoming.ts'
import { fromNodeHandler } from '../src/node-handler.ts'
import { call, deferred, headerValues, open, text } from './node/helpers.ts'

const echo = fromNodeHandler((req, res) => {
  const socket = req.socket as typeof req.socket & { encrypted?: boolean }
  res.setHeader('Content-Type', 'application/json')
  res.end(
    JSON.stringify({
      url: req.url,
      rawHeaders: req.rawHeaders,
      headers: req.headers,
      headersDistinct: req.headersDistinct,
      httpVersion: req.httpVersion,
      socket: {
        remoteAddress: socket.remoteAddress,
        remotePort: socket.remotePort,
        remoteFamily: socket.remoteFamily,
        localAddress: socket.localAddress,
        localPort: socket.localPort,
        encrypted: socket.encrypted ?? null,
        address: socket.address(),
        writable: socket.writable,
        readable: socket.readable,
        connecting: socket.connecting,
        pending: socket.pending,
      },
    }),
  )
})

describe('fromNodeHandler: the request', () => {
  it('rebuilds header lines from the environ in its order, node deriving headers from them', async () => {
    const seen = JSON.parse(
      (
        await call(echo, {
          method: 'POST',
          url: '/x',
          headers: [
            ['X-First', '1'],
            ['Content-Type', 'text/plain'],
            ['Cookie', 'a=1'],
            ['Cookie', 'b=2'],
            ['Accept', 'a, b'],
          ],
          body: 'hi',
        })
      ).text(),
    )
    expect(seen.rawHeaders).toEqual([
      'Host',
      '127.0.0.1',
      'Content-Length',
      '2',
      'X-First',
      '1',
      'Content-Type',
      'text/plain',
      'Cookie',
      'a=1; b=2',
      'Accept',
      'a, b',
    ])
    expect(seen.headers).toMatchObject({
      cookie: 'a=1; b=2',
      'content-type': 'text/plain',
      'content-length': '2',
    })
    expect(seen.headersDistinct).toMatchObject({ 'x-first': ['1'], accept: ['a, b'] })
    expect(seen.httpVersion).toBe('1.1')
  })

  // The tsgi server also gives the lines as the client sent them (tsgi-server.raw_headers): node
  // then applies its own rules to them as on node:http, a repeated Content-Type keeping its first
  // value, where the environ's joined value would have made Express's JSON parser skip the body.
  it("takes the client's own header lines when the server gives them and they agree with the environ", async () => {
    const lines = [
      'host',
      'h',
      'Content-Type',
      'application/json',
      'x-trace',
      'a',
      'content-type',
      'text/plain',
      'X_Spoof',
      '1',
      'X-Trace',
      'b',
    ]
    const environ = {
      HTTP_HOST: 'h',
      CONTENT_TYPE: 'application/json, text/plain',
      HTTP_X_TRACE: 'a, b',
      'tsgi-server.raw_headers': lines,
    }
    const seen = JSON.parse((await call(echo, { environ })).text())
    // As sent, the line the environ cannot carry (`_` in its name) too: node keeps it apart.
    expect(seen.rawHeaders).toEqual(lines)
    expect(seen.headers.x_spoof).toBe('1')
    expect(seen.headers['content-type']).toBe('application/json')
    expect(seen.headers['x-trace']).toBe('a, b')
    expect(seen.headersDistinct['x-trace']).toEqual(['a', 'b'])
  })

  // An absolute-form target's authority is the request's host (RFC 9112 §3.2.2): the server puts
  // it in HTTP_HOST. Only the Host line changes; the others stay as sent, so a repeated
  // Content-Type still reads as its first value and Express's JSON parser still takes the body.
  it('keeps the lines as sent but for Host when an absolute-form target named another authority', async () => {
    const lines = [
      'host',
      'b.example',
      'Content-Type',
      'application/json',
      'content-type',
      'text/plain',
      'X_U',
      '1',
    ]
    const environ = {
      RAW_URI: 'http://a.example/x',
      HTTP_HOST: 'a.example',
      CONTENT_TYPE: 'application/json, text/plain',
      'tsgi-server.raw_headers': lines,
    }
    const seen = JSON.parse((await call(echo, { environ })).text())
    expect(seen.rawHeaders).toEqual(['host', 'a.example', ...lines.slice(2)])
    expect(seen.headers).toMatchObject({ host: 'a.example', 'content-type': 'application/json', x_u: '1' })
    // An HTTP/1.0 request may have sent no Host at all: the authority comes last.
    const noHost = { ...environ, SERVER_PROTOCOL: 'HTTP/1.0', 'tsgi-server.raw_headers': lines.slice(2) }
    const seenNoHost = JSON.parse((await call(echo, { environ: noHost })).text())
    expect(seenNoHost.rawHeaders).toEqual([...lines.slice(2), 'Host', 'a.example'])
  })

  it('rebuilds the lines from the environ when the server key holds no name/value strings', async () => {
    for (const lines of [['Host', 'h', 'X-Trace'], ['Host', 'h', 5, 'a'], 'Host: h']) {
      const environ = { HTTP_HOST: 'h', 'tsgi-server.raw_headers': lines }
      const seen = JSON.parse((await call(echo, { environ })).text())
      expect(seen.rawHeaders).toEqual(['Host', 'h'])
    }
  })

  it('rebuilds the lines from the environ when a middleware changed a header the server gave', async () => {
    const environ = {
      HTTP_HOST: 'h',
      HTTP_X_TRACE: 'rewritten',
      'tsgi-server.raw_headers': ['Host', 'h', 'X-Trace', 'a'],
    }
    const seen = JSON.parse((await call(echo, { environ })).text())
    expect(seen.rawHeaders).toEqual(['Host', 'h', 'X-Trace', 'rewritten'])
    const added = JSON.parse(
      (await call(echo, { environ: { ...environ, HTTP_X_TRACE: 'a', HTTP_X_ADDED: '1' } })).text(),
    )
    expect(added.rawHeaders).toEqual(['Host', 'h', 'X-Trace', 'a', 'X-Added', '1'])
  })

  it('puts the environ peer and server on the socket; encrypted only for https', async () => {
    const environ = {
      REMOTE_ADDR: '192.0.2.1',
      REMOTE_PORT: '61000',
      SERVER_NAME: '10.1.1.1',
      SERVER_PORT: '8080',
    }
    const plain = JSON.parse((await call(echo, { environ })).text())
    expect(plain.socket).toEqual({
      remoteAddress: '192.0.2.1',
      remotePort: 61000,
      remoteFamily: 'IPv4',
      localAddress: '10.1.1.1',
      localPort: 8080,
      encrypted: null,
      address: { address: '10.1.1.1', family: 'IPv4', port: 8080 },
      writable: true,
      readable: true,
      connecting: false,
      pending: false,
    })
    const secure = JSON.parse((await call(echo, { url: 'https://h.test/', environ })).text())
    expect(secure.socket.encrypted).toBe(true)
  })

  it('takes the socket local address from LOCAL_ADDR/LOCAL_PORT when the server gives them', async () => {
    const environ = {
      SERVER_NAME: 'example.test',
      SERVER_PORT: '80',
      LOCAL_ADDR: '127.0.0.1',
      LOCAL_PORT: '8123',
    }
    const seen = JSON.parse((await call(echo, { environ })).text())
    expect(seen.socket).toMatchObject({ localAddress: '127.0.0.1', localPort: 8123 })
  })

  it('keeps RAW_URI (absolute-form too), and rebuilds req.url when a middleware rewrote PATH_INFO', async () => {
    const url = async (init: Record<string, string>): Promise<string> =>
      JSON.parse((await call(echo, { environ: init })).text()).url
    expect(await url({ RAW_URI: 'http://h.test/a%20b?q', PATH_INFO: '/a b', QUERY_STRING: 'q' })).toBe(
      'http://h.test/a%20b?q',
    )
    expect(await url({ RAW_URI: '/old', PATH_INFO: '/new path', QUERY_STRING: 'x=%41' })).toBe(
      '/new%20path?x=%41',
    )
    expect(await url({ RAW_URI: undefined as never, PATH_INFO: '/caf\u00e9', QUERY_STRING: '' })).toBe(
      '/caf%E9',
    )
  })

  it.each([
    ['HTTP/1.1', undefined, true],
    ['HTTP/1.1', 'close', false],
    // A higher HTTP/1.x is served as 1.1 (the server keeps its version in SERVER_PROTOCOL).
    ['HTTP/1.2', undefined, true],
    ['HTTP/1.2', 'Keep-Alive, close', false],
  ])(
    'gives %s with Connection: %s a response whose shouldKeepAlive is %s',
    async (protocol, connection, keepAlive) => {
      const app = fromNodeHandler((req, res) =>
        res.end(JSON.stringify([req.httpVersion, res.shouldKeepAlive])),
      )
      const environ = { SERVER_PROTOCOL: protocol, HTTP_CONNECTION: connection as string }
      expect(JSON.parse((await call(app, { environ })).text())).toEqual([protocol.slice(5), keepAlive])
    },
  )

  it('completes a bodyless request after the sync part, as node:http, never reading tsgi.input', async () => {
    const states: boolean[] = []
    const untouched = (): never => {
      throw new Error('tsgi.input must not be read for a bodyless request')
    }
    const untouchable: InputStream = {
      read: untouched,
      readline: untouched,
      [Symbol.asyncIterator]: untouched,
    }
    const app = fromNodeHandler((req, res) => {
      states.push(req.complete)
      setImmediate(() => {
        states.push(req.complete)
        res.end(String(req.headers['content-length']))
      })
    })
    const response = await call(app, { method: 'POST', environ: { 'tsgi.input': untouchable } })
    expect(states).toEqual([false, true])
    expect(response.text()).toBe('undefined')
  })

  it('restores Transfer-Encoding: chunked for an upload without length, and none for an empty one', async () => {
    const app = fromNodeHandler(async (req, res) => {
      let body = ''
      for await (const chunk of req) body += chunk
      res.end(`${req.headers['transfer-encoding']}:${body}`)
    })
    const chunked = (async function* () {
      yield Buffer.from('a')
      yield Buffer.from('b')
    })()
    expect((await call(app, { method: 'POST', body: chunked })).text()).toBe('chunked:ab')
    const empty = (async function* () {})()
    expect((await call(app, { method: 'POST', body: empty })).text()).toBe('undefined:')
  })

  it('aborts a request whose body ends short of its Content-Length, as a dropped connection', async () => {
    const seen = deferred<string[]>()
    const app = fromNodeHandler((req) => {
      const events: string[] = []
      req.on('aborted', () => events.push('aborted'))
      req.on('error', (error: Error & { code?: string }) => events.push(`error ${error.code}`))
      req.on('close', () => seen.resolve(events))
      req.resume()
    })
    const short = (async function* () {
      yield Buffer.from('abc')
    })()
    const pending = call(app, { method: 'POST', body: short, environ: { CONTENT_LENGTH: '10' } })
    await expect(pending).rejects.toMatchObject({ code: 'ECONNRESET' })
    expect(await seen.promise).toEqual(['aborted', 'error ECONNRESET'])
  })

  it("emits 'timeout' on the request after socket inactivity (req.setTimeout)", async () => {
    const app = fromNodeHandler((req, res) => {
      req.setTimeout(10, () => res.end('timed out'))
    })
    const stalled = (async function* () {
      await new Promise(() => {})
      yield new Uint8Array(1)
    })()
    const response = await call(app, { method: 'POST', body: stalled, environ: { CONTENT_LENGTH: '1' } })
    expect(response.text()).toBe('timed out')
  })
})

describe('fromNodeHandler: the response', () => {
  it('passes a 103 from writeEarlyHints to tsgi.early_hints, before the final head', async () => {
    const hints: HeaderList[] = []
    const app = fromNodeHandler((_req, res) => {
      res.writeEarlyHints({ link: ['</a.css>; rel=preload; as=style', '</b.js>; rel=preload; as=script'] })
      res.end('page')
    })
    const response = await call(app, {
      environ: {
        'tsgi.early_hints': async (headers) => {
          hints.push(headers)
        },
      },
    })
    expect(hints).toEqual([[['Link', '</a.css>; rel=preload; as=style, </b.js>; rel=preload; as=script']]])
    expect(response.text()).toBe('page')
  })

  it('keeps latin-1 header values, drops hop-by-hop fields but Connection: close, de-chunks many small writes', async () => {
    const app = fromNodeHandler((_req, res) => {
      res.setHeader('X-Latin', 'caf\u00e9')
      res.setHeader('Connection', 'close')
      for (let i = 0; i < 50; i++) res.write(`${i},`)
      res.addTrailers({ 'X-Trailer': 'dropped' })
      res.end()
    })
    const response = await call(app)
    expect(headerValues(response.headers, 'x-latin')).toEqual(['caf\u00e9'])
    for (const name of ['transfer-encoding', 'keep-alive', 'x-trailer']) {
      expect(headerValues(response.headers, name)).toEqual([])
    }
    // The app asked to close the connection after this response: the server will (SPEC
    // server.connection-close).
    expect(headerValues(response.headers, 'connection')).toEqual(['close'])
    expect(response.text()).toBe(Array.from({ length: 50 }, (_, i) => `${i},`).join(''))
  })

  it("keeps node's own Content-Length for res.end(data) and none for HEAD", async () => {
    const app = fromNodeHandler((_req, res) => res.end('five!'))
    expect(headerValues((await call(app)).headers, 'content-length')).toEqual(['5'])
    const head = await call(app, { method: 'HEAD' })
    expect(head.body.byteLength).toBe(0)
  })

  it('answers an HTTP/1.0 request with a close-delimited body, no framing fields but Connection: close, 100/102 dropped', async () => {
    const app = fromNodeHandler((req, res) => {
      res.writeContinue()
      res.writeProcessing()
      res.write(`v${req.httpVersion};`)
      setImmediate(() => res.end('end'))
    })
    const response = await call(app, { environ: { SERVER_PROTOCOL: 'HTTP/1.0' } })
    expect([response.status, response.text()]).toEqual([200, 'v1.0;end'])
    // node closes an HTTP/1.0 connection the client did not ask to keep, and says so.
    expect(response.headers.map(([name]) => name.toLowerCase())).toEqual(['date', 'connection'])
    expect(headerValues(response.headers, 'connection')).toEqual(['close'])
  })

  it('answers 204 and 304 without a body', async () => {
    const app = fromNodeHandler((req, res) => {
      res.writeHead(req.url === '/204' ? 204 : 304)
      res.end()
    })
    expect((await call(app, { url: '/204' })).status).toBe(204)
    expect((await call(app, { url: '/304' })).status).toBe(304)
  })

  it("honours backpressure: res.write() is false and 'drain' waits until the server took the chunks", async () => {
    const chunk = Buffer.alloc(64 * 1024, 1)
    const log: string[] = []
    let written = 0
    const app = fromNodeHandler((_req, res) => {
      const pump = (): void => {
        while (written < 8) {
          written++
          if (!res.write(chunk)) {
            log.push(`false after ${written}`)
            res.once('drain', () => {
              log.push('drain')
              pump()
            })
            return
          }
        }
        res.end()
      }
      pump()
    })
    const opened = await open(app)
    await new Promise((resolve) => setTimeout(resolve, 20))
    expect(log).toEqual(['false after 1'])
    let bytes = 0
    for (let step = await opened.iterator.next(); !step.done; step = await opened.iterator.next()) {
      bytes += step.value.byteLength
    }
    expect(bytes).toBe(8 * chunk.byteLength)
    expect(log.filter((entry) => entry === 'drain')).toHaveLength(8)
    await opened.close()
  })

  it("fails the gateway body when the app destroys the socket after the head (Express's way to cut)", async () => {
    const app = fromNodeHandler((req, res) => {
      res.write('partial')
      setImmediate(() => req.socket.destroy())
    })
    const opened = await open(app)
    expect(text((await opened.iterator.next()).value)).toBe('partial')
    await expect(opened.iterator.next()).rejects.toMatchObject({ code: 'TSGI_CONNECTION_DESTROYED' })
    await opened.close()
  })

  it('rejects the call when the handler throws or the response is destroyed before any head', async () => {
    const thrown = fromNodeHandler(() => {
      throw new Error('sync boom')
    })
    await expect(call(thrown)).rejects.toThrow('sync boom')
    const destroyed = fromNodeHandler((_req, res) => {
      res.destroy()
    })
    await expect(call(destroyed)).rejects.toMatchObject({ code: 'TSGI_CONNECTION_DESTROYED' })
  })

  // The gateway server refuses some heads node writes (a status above 599, a Content-Length that
  // is no number): the call must fail, so the server answers 500. Written in the handler's
  // synchronous part with no body to follow, the refusal used to leave the call pending forever.
  it.each([
    [
      'a status above 599, no body',
      'GET',
      (res: ServerResponse) => {
        res.statusCode = 600
        res.end()
      },
    ],
    [
      'a status above 599 to HEAD',
      'HEAD',
      (res: ServerResponse) => {
        res.statusCode = 600
        res.end('body')
      },
    ],
    [
      'a 1xx status set as the final one',
      'GET',
      (res: ServerResponse) => {
        res.statusCode = 100
        res.end('body')
      },
    ],
    [
      'a 103 status set as the final one, no body',
      'GET',
      (res: ServerResponse) => {
        res.statusCode = 103
        res.end()
      },
    ],
    [
      'a Content-Length that is no number',
      'GET',
      (res: ServerResponse) => {
        res.setHeader('Content-Length', 'abc')
        res.end()
      },
    ],
  ])('never leaves the call pending when the server refuses the head: %s', async (_what, method, answer) => {
    const refused = (status: string, headers: HeaderList): boolean => {
      const length = headers.find(([name]) => name.toLowerCase() === 'content-length')?.[1]
      const code = Number(status.slice(0, 3))
      return code < 200 || code > 599 || (length !== undefined && !/^\d+$/.test(length))
    }
    // A server refuses in startResponse, or (as the tsgi server plans the head) when the head is
    // sent, which for a head with no body yet is the bridge's legacy write: both, and that write
    // throwing rather than rejecting.
    const atStart: StartResponse = (status, headers) => {
      if (refused(status, headers)) throw new Error(`refused ${status}`)
      return async () => {}
    }
    const atWrite: StartResponse = (status, headers) => () => {
      if (refused(status, headers)) throw new Error(`refused ${status}`)
      return Promise.resolve()
    }
    for (const [startResponse, expected] of [
      [atStart, /^refused /],
      // The write's refusal is the server's own: it fails the response itself when it plans the
      // head again at the body's end; the bridge only must not leave the call pending.
      [atWrite, /^(refused |answered)/],
    ] as const) {
      const app = fromNodeHandler((_req, res) => answer(res))
      const outcome = await Promise.race([
        (async () => {
          const body = await app(createEnviron({ REQUEST_METHOD: method }), startResponse)
          for await (const _ of body as AsyncIterable<Uint8Array>);
          return 'answered'
        })().catch((error: Error) => error.message),
        new Promise((resolve) => setTimeout(() => resolve('still pending'), 1000)),
      ])
      expect(outcome).toMatch(expected)
    }
  })

  it('reports a rejection after the head to tsgi.errors and cuts the body', async () => {
    const errors = createErrorBuffer()
    const app = fromNodeHandler(async (_req, res) => {
      res.write('x')
      await new Promise((resolve) => setImmediate(resolve))
      throw new Error('late boom')
    })
    await expect(call(app, { environ: { 'tsgi.errors': errors } })).rejects.toThrow('late boom')
    expect(errors.text()).toContain('late boom')
  })
})

describe('fromNodeHandler: client disconnects', () => {
  const watched = (events: string[], done: () => void) => (req: IncomingMessage, res: ServerResponse) => {
    req.on('aborted', () => events.push('req aborted'))
    req.on('close', () => events.push('req close'))
    res.on('close', () => {
      events.push(`res close finished=${res.writableFinished} socket writable=${req.socket.writable}`)
      clearInterval(timer)
      setImmediate(done)
    })
    const timer = setInterval(() => res.write('tick'), 1)
  }

  it("aborting tsgi.signal mid-stream fires req 'aborted'/'close' and res 'close', and stops the stream", async () => {
    const events: string[] = []
    const closed = deferred()
    const opened = await open(fromNodeHandler(watched(events, closed.resolve)))
    expect(text((await opened.iterator.next()).value)).toBe('tick')
    opened.abort.abort()
    await closed.promise
    await expect(opened.iterator.next()).rejects.toBeDefined()
    expect(events).toEqual(['req aborted', 'res close finished=false socket writable=false', 'req close'])
    await opened.close()
  })

  it('a server that stops reading early (body.return) looks like a disconnect too', async () => {
    const events: string[] = []
    const closed = deferred()
    const opened = await open(fromNodeHandler(watched(events, closed.resolve)))
    await opened.iterator.next()
    await opened.iterator.return?.()
    await closed.promise
    expect(events).toEqual(['req aborted', 'res close finished=false socket writable=false', 'req close'])
    await opened.close()
  })

  it('leaves a lazily built tsgi.signal unbuilt unless the response is still pending a turn later', async () => {
    // Called without validate(), which reads every environ key and would build the signal itself.
    let reads = 0
    const lazy = (): Record<string, unknown> => {
      const environ = createEnviron({ REMOTE_ADDR: '127.0.0.1' }) as unknown as Record<string, unknown>
      const signal = new AbortController().signal
      Object.defineProperty(environ, 'tsgi.signal', {
        enumerable: true,
        get: () => {
          reads++
          return signal
        },
      })
      return environ
    }
    const sync = fromNodeHandler((_req, res) => res.end('now'))
    const body = await sync(lazy() as never, () => async () => {})
    for await (const _chunk of body as AsyncIterable<Uint8Array>) {
      // drained
    }
    expect(reads).toBe(0)
    // Ended in promise callbacks of the same turn, as Koa answers: no watch either.
    const soon = fromNodeHandler(async (_req, res) => {
      await Promise.resolve()
      res.end('soon')
    })
    const soonBody = await soon(lazy() as never, () => async () => {})
    for await (const _chunk of soonBody as AsyncIterable<Uint8Array>) {
      // drained
    }
    expect(reads).toBe(0)
    // Ended in a later turn of the event loop: by then the bridge watches the client.
    const later = fromNodeHandler((_req, res) => setImmediate(() => setImmediate(() => res.end('later'))))
    const laterBody = await later(lazy() as never, () => async () => {})
    for await (const _chunk of laterBody as AsyncIterable<Uint8Array>) {
      // drained
    }
    expect(reads).toBeGreaterThan(0)
  })

  it("emits res 'close' after 'finish' on a normal end, as node:http does", async () => {
    const events: string[] = []
    const closed = deferred()
    const app = fromNodeHandler((_req, res) => {
      res.on('finish', () => events.push('finish'))
      res.on('close', () => {
        events.push(`close finished=${res.writableFinished}`)
        closed.resolve()
      })
      res.end('done')
    })
    expect((await call(app)).text()).toBe('done')
    await closed.promise
    expect(events).toEqual(['finish', 'close finished=true'])
  })
})

describe('createIncomingMessage (for Hono apps written for @hono/node-server)', () => {
  it('is a real IncomingMessage with the peer on its socket and the body from tsgi.input', async () => {
    const req = createIncomingMessage(
      createEnviron({
        REQUEST_METHOD: 'PUT',
        RAW_URI: '/up?x=1',
        PATH_INFO: '/up',
        QUERY_STRING: 'x=1',
        REMOTE_ADDR: '::1',
        REMOTE_PORT: '5000',
        body: 'payload',
      }),
    )
    expect([req.method, req.url, req.headers['content-length']]).toEqual(['PUT', '/up?x=1', '7'])
    expect([req.socket.remoteAddress, req.socket.remotePort, req.socket.remoteFamily]).toEqual([
      '::1',
      5000,
      'IPv6',
    ])
    let body = ''
    for await (const chunk of req) body += chunk
    expect([body, req.complete]).toEqual(['payload', true])
  })
})

describe('fromNodeHandler: an app that closes the connection', () => {
  // node:http closes after a response whose head says `Connection: close`: the app set it, or
  // `res.shouldKeepAlive = false`, or the request asked. The bridge passes that one field on,
  // and the server closes after the response (SPEC server.connection-close).
  it.each([
    ['its own Connection: close', (res: ServerResponse) => res.setHeader('Connection', 'close')],
    ['res.shouldKeepAlive = false', (res: ServerResponse) => (res.shouldKeepAlive = false)],
  ])('passes on %s', async (_how, close) => {
    const app = fromNodeHandler((_req, res) => {
      close(res)
      res.end('bye')
    })
    expect(headerValues((await call(app)).headers, 'connection')).toEqual(['close'])
  })

  it('keeps the connection of an HTTP/1.1 request, and of an HTTP/1.0 one that asked, as node does', async () => {
    const app = fromNodeHandler((_req, res) => res.end('stay'))
    expect(headerValues((await call(app)).headers, 'connection')).toEqual([])
    const asked = await call(app, { headers: { connection: 'close' } })
    expect(headerValues(asked.headers, 'connection')).toEqual(['close'])
    // HTTP/1.0 asking for keep-alive: node keeps it for a body whose length the app set, and
    // closes after one it would have to delimit by the close (`res.end(data)` without a length).
    const keepAlive = { SERVER_PROTOCOL: 'HTTP/1.0', HTTP_CONNECTION: 'keep-alive' }
    const sized = fromNodeHandler((_req, res) => {
      res.setHeader('Content-Length', '4')
      res.end('stay')
    })
    expect(headerValues((await call(sized, { environ: keepAlive })).headers, 'connection')).toEqual([])
    expect(headerValues((await call(app, { environ: keepAlive })).headers, 'connection')).toEqual(['close'])
  })

  it('drops the fields Connection names, keeping close alone', async () => {
    const app = fromNodeHandler((_req, res) => {
      res.setHeader('X-Trace', '1')
      res.setHeader('Connection', 'X-Trace, close')
      res.end('bye')
    })
    const response = await call(app)
    expect(headerValues(response.headers, 'x-trace')).toEqual([])
    expect(headerValues(response.headers, 'connection')).toEqual(['close'])
  })
})
