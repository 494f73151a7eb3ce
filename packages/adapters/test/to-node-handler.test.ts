import { once } from 'node:events'
import { createServer, request } from 'node:http'
import { type AddressInfo, connect } from 'node:net'
import type { App, Environ } from '@tsgi/core'
import { CONNECTION_DESTROYED, createErrorBuffer } from '@tsgi/core'
import supertest from 'supertest'
import { describe, expect, it } from 'vitest'
import { fromExpress } from '../src/express.ts'
import { fromNodeHandler } from '../src/node-handler.ts'
import { toNodeHandler } from '../src/to-node-handler.ts'
import { call, deferred, EXPRESS_VERSIONS, headerValues, validate } from './node/helpers.ts'

const encode = (value: string): Uint8Array => new TextEncoder().encode(value)

/** Serves `listener` on node:http, sends a GET whose client leaves at the first body bytes, runs `check`. */
async function leavingAfterFirstBytes(
  listener: Parameters<typeof createServer>[1],
  check: () => Promise<void>,
): Promise<void> {
  const server = createServer(listener!).listen(0, '127.0.0.1')
  await once(server, 'listening')
  try {
    const { port } = server.address() as AddressInfo
    const outgoing = request({ host: '127.0.0.1', port, path: '/' }, (incoming) => {
      incoming.once('data', () => outgoing.destroy())
    })
    outgoing.on('error', () => {})
    outgoing.end()
    await check()
  } finally {
    server.close()
  }
}

/** Serves `listener` on node:http, sends `request` raw, and returns what came back by `until`. */
async function rawExchange(
  listener: Parameters<typeof createServer>[1],
  request: string,
  until: 'end' | 'close',
): Promise<string> {
  const server = createServer(listener!).listen(0, '127.0.0.1')
  await once(server, 'listening')
  try {
    const socket = connect((server.address() as AddressInfo).port, '127.0.0.1')
    socket.write(request)
    let text = ''
    socket.on('data', (chunk: Buffer) => {
      text += chunk.toString('latin1')
    })
    await once(socket, until)
    return text
  } finally {
    server.close()
  }
}

/** A gateway app exercising what a server must carry: the environ, bodies, cookies, streams, errors. */
const gateway: App = async (environ, startResponse) => {
  const path = environ.PATH_INFO
  if (path === '/environ') {
    startResponse('200 OK', [['Content-Type', 'application/json']])
    return [encode(JSON.stringify(pick(environ)))]
  }
  if (path === '/echo') {
    const body = await environ['tsgi.input'].read()
    startResponse('201 Created', [['Content-Type', environ.CONTENT_TYPE ?? 'application/octet-stream']])
    return [body]
  }
  if (path === '/cookies') {
    startResponse('200 OK', [
      ['Set-Cookie', 'a=1'],
      ['X-Between', 'x'],
      ['Set-Cookie', 'b=2'],
    ])
    return [encode('ok')]
  }
  if (path === '/stream') {
    startResponse('200 OK', [['Content-Type', 'text/plain']])
    return (async function* () {
      for (let i = 0; i < 3; i++) yield encode(`${i};`)
    })()
  }
  if (path === '/hints') {
    await environ['tsgi.early_hints']?.([['Link', '</s.css>; rel=preload']])
    startResponse('200 OK', [['Content-Type', 'text/plain']])
    return [encode('hinted')]
  }
  if (path === '/boom') throw new Error('gateway boom')
  startResponse('404 Not Found', [['Content-Type', 'text/plain']])
  return [encode('nope')]
}

const handler = toNodeHandler(validate(gateway), { errors: createErrorBuffer() })

describe('toNodeHandler on node:http (supertest)', () => {
  it('builds the environ from the request: RAW_URI, decoded PATH_INFO, headers, peer', async () => {
    const response = await supertest(handler)
      .get('/environ/%7Eme/a%20b?x=%41&y')
      .set('X-Multi', 'one')
      .set('Cookie', 'c=1')
    expect(response.status).toBe(404)
    const seen = await supertest(handler).get('/environ?q=1').set('X-Multi', 'one').set('User-Agent', 'ua')
    expect(seen.body).toMatchObject({
      REQUEST_METHOD: 'GET',
      PATH_INFO: '/environ',
      QUERY_STRING: 'q=1',
      RAW_URI: '/environ?q=1',
      SERVER_PROTOCOL: 'HTTP/1.1',
      HTTP_X_MULTI: 'one',
      HTTP_USER_AGENT: 'ua',
      REMOTE_ADDR: expect.stringMatching(/127\.0\.0\.1/),
      'tsgi.url_scheme': 'http',
      'tsgi.input_terminated': true,
    })
  })

  it('names the server from Host as the tsgi server does, with the default port of the scheme', async () => {
    const withPort = await supertest(handler).get('/environ').set('Host', 'example.test:8080')
    expect(withPort.body).toMatchObject({ SERVER_NAME: 'example.test', SERVER_PORT: '8080' })
    const withoutPort = await supertest(handler).get('/environ').set('Host', '[::1]')
    expect(withoutPort.body).toMatchObject({ SERVER_NAME: '[::1]', SERVER_PORT: '80' })
  })

  it('streams request bodies in and keeps status, content type and bytes', async () => {
    const bytes = Buffer.from(Array.from({ length: 300 }, (_, i) => i % 256))
    const response = await supertest(handler)
      .post('/echo')
      .set('Content-Type', 'application/octet-stream')
      .send(bytes)
      .buffer(true)
      .parse((res, done) => {
        const chunks: Buffer[] = []
        res.on('data', (chunk: Buffer) => chunks.push(chunk))
        res.on('end', () => done(null, Buffer.concat(chunks)))
      })
    expect(response.status).toBe(201)
    expect(Buffer.compare(response.body as Buffer, bytes)).toBe(0)
    expect(response.headers['content-length']).toBe('300')
  })

  it('keeps repeated Set-Cookie in order, streams bodies, and answers 500 when the app throws', async () => {
    const cookies = await supertest(handler).get('/cookies')
    expect(cookies.headers['set-cookie']).toEqual(['a=1', 'b=2'])
    const stream = await supertest(handler).get('/stream')
    expect(stream.text).toBe('0;1;2;')
    expect(stream.headers['transfer-encoding']).toBe('chunked')
    const boom = await supertest(handler).get('/boom')
    expect(boom.status).toBe(500)
  })

  it('sends a real 103 Early Hints through tsgi.early_hints', async () => {
    const server = createServer(handler).listen(0, '127.0.0.1')
    await once(server, 'listening')
    try {
      const { port } = server.address() as AddressInfo
      const informational: Array<{ statusCode: number; link: unknown }> = []
      const body = await new Promise<string>((resolve, reject) => {
        const outgoing = request({ host: '127.0.0.1', port, path: '/hints' }, (incoming) => {
          let text = ''
          incoming.on('data', (chunk: Buffer) => {
            text += chunk
          })
          incoming.on('end', () => resolve(text))
        })
        outgoing.on('information', (info) =>
          informational.push({ statusCode: info.statusCode, link: info.headers.link }),
        )
        outgoing.on('error', reject)
        outgoing.end()
      })
      expect(informational).toEqual([{ statusCode: 103, link: '</s.css>; rel=preload' }])
      expect(body).toBe('hinted')
    } finally {
      server.close()
    }
  })

  it('streams a large upload to the app in pieces, and an unread body leaves the connection usable', async () => {
    const app: App = async (environ, startResponse) => {
      startResponse('200 OK', [['Content-Type', 'text/plain']])
      if (environ.PATH_INFO === '/ignore') return [encode('ignored')]
      let total = 0
      let pieces = 0
      for (let chunk = await environ['tsgi.input'].read(65_536); chunk.byteLength > 0; ) {
        total += chunk.byteLength
        pieces++
        chunk = await environ['tsgi.input'].read(65_536)
      }
      return [encode(`${total} in ${pieces}`)]
    }
    const server = createServer(toNodeHandler(validate(app), { errors: createErrorBuffer() })).listen(
      0,
      '127.0.0.1',
    )
    await once(server, 'listening')
    try {
      const agent = supertest.agent(server)
      const size = 4 * 1024 * 1024
      const counted = await agent
        .post('/count')
        .set('Content-Type', 'application/octet-stream')
        .send(Buffer.alloc(size, 7))
      expect(counted.text).toBe(`${size} in ${size / 65_536}`)
      const ignored = await agent.post('/ignore').send(Buffer.alloc(200_000, 1))
      expect(ignored.text).toBe('ignored')
      expect((await agent.post('/count').send('abc')).text).toBe('3 in 1')
    } finally {
      server.close()
    }
  })

  it('offers no early hints to an HTTP/1.0 client (RFC 9110 §15.2)', async () => {
    const text = await rawExchange(handler, 'GET /hints HTTP/1.0\r\n\r\n', 'end')
    expect(text).not.toContain('103')
    expect(text.startsWith('HTTP/1.1 200 OK')).toBe(true)
  })

  it('drops the connection without a 500 or a log line for the CONNECTION_DESTROYED code (SPEC 6.2)', async () => {
    const errors = createErrorBuffer()
    const app: App = async () => {
      throw Object.assign(new Error('dropped'), { code: CONNECTION_DESTROYED })
    }
    expect(
      await rawExchange(toNodeHandler(app, { errors }), 'GET / HTTP/1.1\r\nHost: x\r\n\r\n', 'close'),
    ).toBe('')
    expect(errors.text()).toBe('')
  })

  it('delivers what the body yielded before it dropped the connection (SPEC 6.2), then closes', async () => {
    const app: App = (_environ, startResponse) => {
      startResponse('200 OK', [['Content-Type', 'text/plain']])
      return (function* () {
        yield encode('partial')
        throw Object.assign(new Error('dropped'), { code: CONNECTION_DESTROYED })
      })()
    }
    const text = await rawExchange(
      toNodeHandler(app, { errors: createErrorBuffer() }),
      'GET / HTTP/1.1\r\nHost: x\r\n\r\n',
      'close',
    )
    expect(text).toMatch(/^HTTP\/1\.1 200 OK\r\n[\s\S]*\r\n\r\n7\r\npartial\r\n$/)
  })

  it('rejects write() once the client is gone, so an awaiting producer stops', async () => {
    const stopped = deferred<{ writes: number; error: unknown }>()
    const app: App = async (_environ, startResponse) => {
      const write = startResponse('200 OK', [['Content-Type', 'text/plain']])
      let writes = 0
      try {
        for (; writes < 200; writes++) {
          await write(encode(`tick ${writes}\n`))
          await new Promise((resolve) => setTimeout(resolve, 5))
        }
        stopped.resolve({ writes, error: undefined })
      } catch (error) {
        stopped.resolve({ writes, error })
      }
      return []
    }
    await leavingAfterFirstBytes(toNodeHandler(app, { errors: createErrorBuffer() }), async () => {
      const { writes, error } = await stopped.promise
      expect(error).toBeDefined()
      expect(writes).toBeLessThan(50)
    })
  })

  it('aborts tsgi.signal when the client goes away', async () => {
    const aborted = deferred<boolean>()
    const app: App = (environ, startResponse) => {
      startResponse('200 OK', [['Content-Type', 'text/plain']])
      environ['tsgi.signal']!.addEventListener('abort', () => aborted.resolve(true))
      return (async function* () {
        yield encode('first')
        await new Promise((resolve) => environ['tsgi.signal']!.addEventListener('abort', resolve))
      })()
    }
    await leavingAfterFirstBytes(toNodeHandler(app), async () => {
      expect(await aborted.promise).toBe(true)
    })
  })

  // tsgi.signal is made when the app first reads it (an AbortController per request is costly):
  // read late, it must still tell what happened.
  it('gives an aborted tsgi.signal to an app that first reads it after the client left', async () => {
    const seen = deferred<{ aborted: boolean; yields: number }>()
    const app: App = (environ, startResponse) => {
      startResponse('200 OK', [['Content-Type', 'text/plain']])
      let yields = 0
      return (async function* () {
        try {
          yield encode('first')
          // The client leaves on the first bytes; the server notices on a later write, and
          // stops reading the body though the app never looked at the signal.
          for (; yields < 50; yields++) {
            await new Promise((resolve) => setTimeout(resolve, 10))
            yield encode('more')
          }
        } finally {
          // First read here, once the server stopped reading the body.
          await new Promise((resolve) => setTimeout(resolve, 10))
          seen.resolve({ aborted: environ['tsgi.signal']!.aborted, yields })
        }
      })()
    }
    await leavingAfterFirstBytes(toNodeHandler(app), async () => {
      const { aborted, yields } = await seen.promise
      expect(aborted).toBe(true)
      expect(yields).toBeLessThan(50)
    })
  })

  it('gives a tsgi.signal that never aborts to an app that first reads it after a complete response', async () => {
    const signal = deferred<AbortSignal>()
    const app: App = (environ, startResponse) => {
      startResponse('200 OK', [['Content-Type', 'text/plain']])
      return Object.assign([encode('done')], {
        close: () => {
          setTimeout(() => signal.resolve(environ['tsgi.signal']!), 10)
        },
      })
    }
    const response = await supertest(toNodeHandler(app)).get('/')
    expect(response.text).toBe('done')
    const late = await signal.promise
    await new Promise((resolve) => setTimeout(resolve, 20))
    expect(late.aborted).toBe(false)
  })

  it('lets the app replace tsgi.signal, and copies it when the environ is spread', async () => {
    const mine = new AbortController().signal
    const seen: unknown[] = []
    const app: App = (environ, startResponse) => {
      const copy = { ...environ }
      seen.push(copy['tsgi.signal'] instanceof AbortSignal, copy['tsgi.signal'] === environ['tsgi.signal'])
      environ['tsgi.signal'] = mine
      seen.push(environ['tsgi.signal'] === mine)
      startResponse('204 No Content', [])
      return []
    }
    await supertest(toNodeHandler(app)).get('/')
    expect(seen).toEqual([true, true, true])
  })
})

describe.each(EXPRESS_VERSIONS)(
  'round trip fromNodeHandler(toNodeHandler(fromExpress(%s app)))',
  (_name, express) => {
    const app = express()
    app.use(express.json())
    app.get('/page', (req, res) => {
      res.cookie('a', '1').cookie('b', '2').set('X-Url', req.originalUrl).send(`<p>${req.ip}</p>`)
    })
    app.post('/json', (req, res) => res.status(201).json({ got: req.body }))
    app.get('/stream', (_req, res) => {
      res.write('one,')
      setImmediate(() => res.end('two'))
    })
    const direct = fromExpress(app)
    const twice = fromNodeHandler(toNodeHandler(direct))

    it.each([
      { method: 'GET', url: '/page?x=1', headers: { 'x-forwarded-for': '1.2.3.4' } },
      { method: 'POST', url: '/json', headers: { 'content-type': 'application/json' }, body: '{"k":[1]}' },
      { method: 'GET', url: '/stream' },
      { method: 'HEAD', url: '/page' },
      { method: 'GET', url: '/missing' },
    ])('behaves the same for $method $url', async (request) => {
      const [one, two] = await Promise.all([call(direct, request), call(twice, request)])
      expect(two.status).toBe(one.status)
      expect(two.statusText).toBe(one.statusText)
      expect(withoutDate(two.headers)).toEqual(withoutDate(one.headers))
      expect(Buffer.from(two.body).equals(Buffer.from(one.body))).toBe(true)
      expect(headerValues(two.headers, 'set-cookie')).toEqual(headerValues(one.headers, 'set-cookie'))
    })
  },
)

describe.each(EXPRESS_VERSIONS)(
  'supertest: %s app natively vs toNodeHandler(fromExpress(app))',
  (_name, express) => {
    const app = express()
    app.use(express.urlencoded({ extended: false }))
    app.get('/hello', (req, res) => res.cookie('k', 'v').json({ q: req.query, ua: req.get('user-agent') }))
    app.post('/form', (req, res) => res.status(202).send(req.body))
    const bridged = toNodeHandler(fromExpress(app))

    it.each([
      ['GET', '/hello?x=1'],
      ['POST', '/form'],
      ['GET', '/missing'],
    ])('%s %s answers the same', async (method, url) => {
      const send = (target: Parameters<typeof supertest>[0]) => {
        const test =
          method === 'POST'
            ? supertest(target).post(url).type('form').send('a=1&b=2')
            : supertest(target).get(url)
        return test.set('User-Agent', 'round-trip')
      }
      const [one, two] = await Promise.all([send(app), send(bridged)])
      expect(two.status).toBe(one.status)
      expect(two.text).toBe(one.text)
      const { date: _a, ...nativeHeaders } = one.headers
      const { date: _b, ...bridgedHeaders } = two.headers
      expect(bridgedHeaders).toEqual(nativeHeaders)
    })
  },
)

function withoutDate(headers: Array<[string, string]>): Array<[string, string]> {
  return headers.filter(([name]) => name.toLowerCase() !== 'date')
}

function pick(environ: Environ): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(environ)) {
    if (typeof value === 'string' || typeof value === 'boolean') out[key] = value
  }
  return out
}

describe('tsgi.input read after the response', () => {
  /** Serves `app` on node:http, POSTs `body`, and resolves with what the app's late read gave. */
  async function lateRead(app: (late: (result: unknown) => void) => App, body: string): Promise<unknown> {
    const late = deferred<unknown>()
    const server = createServer(toNodeHandler(app(late.resolve))).listen(0, '127.0.0.1')
    await once(server, 'listening')
    try {
      const { port } = server.address() as AddressInfo
      await supertest(`http://127.0.0.1:${port}`).post('/').send(body).expect(200)
      return await late.promise
    } finally {
      server.close()
    }
  }

  it('rejects a first read after node:http threw the unread body away, rather than find it empty', async () => {
    const result = await lateRead(
      (late) => (environ, startResponse) => {
        startResponse('200 OK', [['Content-Length', '2']])
        setTimeout(() => environ['tsgi.input'].read().then(late, late), 30)
        return [encode('ok')]
      },
      'x'.repeat(5000),
    )
    expect(result).toMatchObject({ code: 'TSGI_INPUT_AFTER_RESPONSE' })
  })

  it('delivers the rest of a body the app had started reading, as node:http goes on delivering it', async () => {
    const result = await lateRead(
      (late) => async (environ, startResponse) => {
        const input = environ['tsgi.input']
        const first = await input.read(10)
        startResponse('200 OK', [['Content-Length', '2']])
        setTimeout(() => input.read().then((rest) => late(first.byteLength + rest.byteLength), late), 30)
        return [encode('ok')]
      },
      'x'.repeat(5000),
    )
    expect(result).toBe(5000)
  })

  it('ends a late read of a request that had no body', async () => {
    const late = deferred<unknown>()
    const server = createServer(
      toNodeHandler((environ, startResponse) => {
        startResponse('200 OK', [['Content-Length', '2']])
        setTimeout(
          () => environ['tsgi.input'].read().then((bytes) => late.resolve(bytes.byteLength), late.resolve),
          30,
        )
        return [encode('ok')]
      }),
    ).listen(0, '127.0.0.1')
    await once(server, 'listening')
    try {
      const { port } = server.address() as AddressInfo
      await supertest(`http://127.0.0.1:${port}`).get('/').expect(200)
      expect(await late.promise).toBe(0)
    } finally {
      server.close()
    }
  })
})
