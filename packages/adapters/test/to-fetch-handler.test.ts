import { type App, createErrorBuffer, type Environ } from '@tsgi/core'
import { describe, expect, it } from 'vitest'
import {
  type GatewayFetchHandler,
  type ToFetchHandlerOptions,
  toFetchHandler,
} from '../src/to-fetch-handler.ts'
import { deferred, text, validate } from './fetch/helpers.ts'

const encode = (value: string): Uint8Array => new TextEncoder().encode(value)
/** The latin-1 string of a text's UTF-8 bytes: how PATH_INFO spells a decoded path. */
const decodeLatin1 = (value: string): string => Buffer.from(value, 'utf8').toString('latin1')

/** A gateway app that answers with the environ's plain keys as JSON. */
const environEcho: App = async (environ, startResponse) => {
  const keys: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(environ)) if (typeof value === 'string') keys[key] = value
  keys.body = text(await environ['tsgi.input'].read())
  keys.signal = environ['tsgi.signal'] instanceof AbortSignal
  startResponse('200 OK', [['content-type', 'application/json']])
  return [encode(JSON.stringify(keys))]
}

const handler = <Context = unknown>(
  app: App,
  options: ToFetchHandlerOptions<Context> = {},
): GatewayFetchHandler<Context> => toFetchHandler(validate(app), options)

describe('toFetchHandler: the environ', () => {
  it('maps URL, headers and body the way a server does', async () => {
    const response = await handler(environEcho, { remoteAddress: '203.0.113.9' })(
      new Request('https://example.test:8443/caf%C3%A9/a%2Fb?q=1&r=%20', {
        method: 'POST',
        headers: { 'content-type': 'text/plain', 'x-forwarded-for': '1.2.3.4', cookie: 'a=1' },
        body: 'payload',
      }),
    )
    const environ = (await response.json()) as Record<string, unknown>
    expect(environ).toMatchObject({
      REQUEST_METHOD: 'POST',
      SCRIPT_NAME: '',
      PATH_INFO: '/caf\u00c3\u00a9/a/b',
      QUERY_STRING: 'q=1&r=%20',
      RAW_URI: '/caf%C3%A9/a%2Fb?q=1&r=%20',
      SERVER_NAME: 'example.test',
      SERVER_PORT: '8443',
      SERVER_PROTOCOL: 'HTTP/1.1',
      CONTENT_TYPE: 'text/plain',
      HTTP_X_FORWARDED_FOR: '1.2.3.4',
      HTTP_COOKIE: 'a=1',
      REMOTE_ADDR: '203.0.113.9',
      'tsgi.url_scheme': 'https',
      body: 'payload',
      signal: true,
    })
    expect(environ.HTTP_CONTENT_TYPE).toBeUndefined()
  })

  it('drops header names with an underscore, which would alias a dashed name', async () => {
    const response = await handler(environEcho)(
      new Request('http://h/', { headers: { x_forwarded_for: '6.6.6.6', 'x-real': 'yes' } }),
    )
    const environ = (await response.json()) as Record<string, unknown>
    expect(environ.HTTP_X_FORWARDED_FOR).toBeUndefined()
    expect(environ.HTTP_X_REAL).toBe('yes')
  })

  it('takes REMOTE_ADDR from a function of the runtime context, and strips scriptName', async () => {
    const fetch = handler(environEcho, {
      remoteAddress: (_request: Request, info: { remoteAddr: { hostname: string } }) =>
        info.remoteAddr.hostname,
      scriptName: '/api',
    })
    const response = await fetch(new Request('http://h/api/items'), { remoteAddr: { hostname: '::1' } })
    expect(await response.json()).toMatchObject({
      REMOTE_ADDR: '::1',
      SCRIPT_NAME: '/api',
      PATH_INFO: '/items',
    })
  })

  it('keeps SCRIPT_NAME + PATH_INFO equal to the path, inside the mount and outside it', async () => {
    const cases: Array<[string, string, [string, string]]> = [
      ['/api', 'http://h/other', ['', '/other']],
      ['/api', 'http://h/apix', ['', '/apix']],
      ['/api', 'http://h/api', ['/api', '']],
      ['/api/', 'http://h/api/x', ['/api', '/x']],
      ['/', 'http://h/x', ['', '/x']],
      ['/café', 'http://h/caf%C3%A9/x', ['/café', '/x']],
    ]
    for (const [scriptName, url, expected] of cases) {
      const seen = (await (await handler(environEcho, { scriptName })(new Request(url))).json()) as Record<
        string,
        string
      >
      const mount = scriptName === '/café' ? decodeLatin1('/café') : expected[0]
      expect([seen.SCRIPT_NAME, seen.PATH_INFO], `${scriptName} ${url}`).toEqual([mount, expected[1]])
    }
    expect(() => toFetchHandler(environEcho, { scriptName: 'api' })).toThrow(
      expect.objectContaining({ code: 'TSGI_INVALID_ARGUMENT' }),
    )
  })

  it('reads the request body only as the app asks (backpressure)', async () => {
    let pulls = 0
    const upload = new ReadableStream<Uint8Array>(
      {
        pull(controller) {
          pulls++
          controller.enqueue(new Uint8Array(1000))
          if (pulls === 50) controller.close()
        },
      },
      { highWaterMark: 0 },
    )
    const app: App = async (environ, startResponse) => {
      await environ['tsgi.input'].read(10)
      startResponse('200 OK', [['content-type', 'text/plain']])
      return [encode(String(pulls))]
    }
    const response = await handler(app)(
      new Request('http://h/', { method: 'POST', body: upload, duplex: 'half' } as RequestInit),
    )
    expect(Number(await response.text())).toBeLessThan(5)
  })
})

describe('toFetchHandler: the Response', () => {
  it('keeps status, reason phrase and every Set-Cookie', async () => {
    const app: App = (_environ, startResponse) => {
      startResponse('201 Created', [
        ['content-type', 'text/plain'],
        ['set-cookie', 'a=1; Expires=Wed, 21 Oct 2026 07:28:00 GMT'],
        ['set-cookie', 'b=2'],
      ])
      return [encode('made')]
    }
    const response = await handler(app)(new Request('http://h/'))
    expect([response.status, response.statusText]).toEqual([201, 'Created'])
    expect(response.headers.getSetCookie()).toEqual(['a=1; Expires=Wed, 21 Oct 2026 07:28:00 GMT', 'b=2'])
    expect(await response.text()).toBe('made')
  })

  it('resolves with the first chunk and streams the rest as the app yields it', async () => {
    const gate = deferred()
    const app: App = (_environ, startResponse) => {
      startResponse('200 OK', [['content-type', 'text/event-stream']])
      return (async function* () {
        yield encode('data: one\n\n')
        await gate.promise
        yield encode('data: two\n\n')
      })()
    }
    const response = await handler(app)(new Request('http://h/'))
    const reader = response.body!.getReader()
    expect(text((await reader.read()).value)).toBe('data: one\n\n')
    gate.resolve()
    expect(text((await reader.read()).value)).toBe('data: two\n\n')
    expect((await reader.read()).done).toBe(true)
  })

  it('lets startResponse with excInfo replace headers until the first chunk', async () => {
    const app: App = (_environ, startResponse) => {
      startResponse('200 OK', [['content-type', 'text/plain']])
      return (async function* () {
        yield new Uint8Array(0)
        startResponse('500 Internal Server Error', [['content-type', 'text/plain']], new Error('boom'))
        yield encode('failed')
      })()
    }
    const response = await handler(app)(new Request('http://h/'))
    expect(response.status).toBe(500)
    expect(await response.text()).toBe('failed')
  })

  it('sends write() bytes before the body', async () => {
    const app: App = async (_environ, startResponse) => {
      const write = startResponse('200 OK', [['content-type', 'text/plain']])
      await write(encode('written '))
      return [encode('yielded')]
    }
    expect(await (await handler(app)(new Request('http://h/'))).text()).toBe('written yielded')
  })

  it('sends no body for HEAD, keeps Content-Length and closes the app body', async () => {
    for (const validated of [true, false]) {
      let closed = false
      const app: App = (environ, startResponse) => {
        startResponse('200 OK', [
          ['content-type', 'text/plain'],
          ['content-length', '5'],
        ])
        // A conforming app sends nothing for HEAD; a careless one is cut off by the bridge.
        const chunks = validated && environ.REQUEST_METHOD === 'HEAD' ? [] : [encode('hello')]
        return Object.assign(chunks, {
          close: () => {
            closed = true
          },
        })
      }
      const fetch = validated ? handler(app) : toFetchHandler(app)
      const response = await fetch(new Request('http://h/', { method: 'HEAD' }))
      expect(response.body).toBeNull()
      expect(response.headers.get('content-length')).toBe('5')
      expect(closed).toBe(true)
    }
  })

  it('closes the app body when the runtime cancels the stream (client gone)', async () => {
    const closed = deferred()
    const app: App = (_environ: Environ, startResponse) => {
      startResponse('200 OK', [['content-type', 'text/plain']])
      const body = (async function* () {
        for (;;) yield encode('tick')
      })()
      return Object.assign(body, { close: () => closed.resolve() })
    }
    const response = await handler(app)(new Request('http://h/'))
    const reader = response.body!.getReader()
    await reader.read()
    await reader.cancel()
    await expect(closed.promise).resolves.toBeUndefined()
  })

  it('errors the response stream when the app fails after the first chunk', async () => {
    const app: App = (_environ, startResponse) => {
      startResponse('200 OK', [['content-type', 'text/plain']])
      return (async function* () {
        yield encode('partial')
        throw new Error('late failure')
      })()
    }
    const response = await handler(app)(new Request('http://h/'))
    const reader = response.body!.getReader()
    expect(text((await reader.read()).value)).toBe('partial')
    await expect(reader.read()).rejects.toThrow('late failure')
  })

  it('answers 500 and logs when the app fails before the first chunk, after closing its body once', async () => {
    let closed = 0
    const app: App = (_environ, startResponse) => {
      startResponse('200 OK', [['content-type', 'text/plain']])
      const body = (async function* () {
        yield new Uint8Array(0)
        throw new Error('app failed')
      })()
      return Object.assign(body, {
        close: () => {
          closed++
        },
      })
    }
    const errors = createErrorBuffer()
    const response = await handler(app, { errors })(new Request('http://h/'))
    expect([response.status, await response.text()]).toEqual([500, 'Internal Server Error'])
    expect(errors.text()).toMatch(/toFetchHandler: Error: app failed/)
    expect(closed).toBe(1)
    const throwing = await handler(
      () => {
        throw new Error('before anything')
      },
      { errors },
    )(new Request('http://h/'))
    expect(throwing.status).toBe(500)
    expect(errors.text()).toMatch(/Error: before anything/)
  })

  it('closes the body once when the runtime cancels a stream while a chunk is on its way', async () => {
    let closes = 0
    const app: App = (_environ, startResponse) => {
      startResponse('200 OK', [['content-type', 'text/event-stream']])
      const body = (async function* () {
        try {
          yield Buffer.from('data: first\n\n')
          await new Promise((resolve) => setTimeout(resolve, 60))
          yield Buffer.from('data: second\n\n')
        } finally {
          // a generator with cleanup, as a real event source has
        }
      })()
      return Object.assign(body, { close: () => void closes++ })
    }
    const errors = createErrorBuffer()
    const response = await toFetchHandler(app, { errors })(new Request('http://h/'))
    const reader = response.body!.getReader()
    await reader.read()
    const pending = reader.read() // asks for the second chunk, which takes 60 ms
    await new Promise((resolve) => setTimeout(resolve, 10))
    await reader.cancel()
    await pending.catch(() => {})
    await new Promise((resolve) => setTimeout(resolve, 120))
    expect(closes).toBe(1)
    expect(errors.text()).not.toContain('body.close-called')
  })

  it('answers as soon as the app writes, and each write() resolves when the runtime takes it', async () => {
    const gate = deferred()
    const settled: number[] = []
    let returned = false
    const app: App = async (_environ, startResponse) => {
      const write = startResponse('200 OK', [['content-type', 'text/plain']])
      await write(encode('one'))
      settled.push(1)
      await gate.promise
      await write(encode('two'))
      settled.push(2)
      returned = true
      return []
    }
    const response = await handler(app)(new Request('http://h/'))
    // The head is out while the app still runs (SPEC server.deferred-headers).
    expect(returned).toBe(false)
    const reader = response.body!.getReader()
    expect(text((await reader.read()).value)).toBe('one')
    await new Promise((resolve) => setTimeout(resolve, 5))
    expect(settled).toEqual([1])
    gate.resolve()
    expect(text((await reader.read()).value)).toBe('two')
    expect((await reader.read()).done).toBe(true)
    expect(settled).toEqual([1, 2])
    expect(returned).toBe(true)
  })

  it('holds a writing app to the pace of the reader, and rejects its writes once the reader is gone', async () => {
    const stopped = deferred<{ writes: number; error: unknown }>()
    const app: App = async (_environ, startResponse) => {
      const write = startResponse('200 OK', [])
      let writes = 0
      try {
        for (; writes < 64; writes++) await write(new Uint8Array(1024 * 1024))
      } catch (error) {
        stopped.resolve({ writes, error })
        throw error
      }
      stopped.resolve({ writes, error: undefined })
      return []
    }
    const response = await toFetchHandler(app, { errors: createErrorBuffer() })(new Request('http://h/'))
    const reader = response.body!.getReader()
    await reader.read()
    await reader.read()
    await new Promise((resolve) => setTimeout(resolve, 10))
    await reader.cancel()
    const { writes, error } = await stopped.promise
    expect(writes).toBeLessThan(5)
    expect(error).toBeInstanceOf(Error)
  })

  it('gives a whole array body to the runtime in one piece, so a host can send its length', async () => {
    const { serve } = await import('@hono/node-server')
    const app: App = (_environ, startResponse) => {
      startResponse('200 OK', [['content-type', 'text/plain']])
      return [encode('hello, '), encode('world')]
    }
    const server = serve({ fetch: handler(app), hostname: '127.0.0.1', port: 0 })
    await new Promise((resolve) => server.once('listening', resolve))
    try {
      const { port } = server.address() as { port: number }
      const response = await fetch(`http://127.0.0.1:${port}/`)
      expect(response.headers.get('content-length')).toBe('12')
      expect(await response.text()).toBe('hello, world')
    } finally {
      server.close()
    }
  })

  it('answers HEAD at the first write() and lets the app write on without waiting', async () => {
    const done = deferred<number>()
    const app: App = async (_environ, startResponse) => {
      const write = startResponse('200 OK', [['content-type', 'text/plain']])
      let writes = 0
      for (; writes < 3; writes++) await write(encode('bytes'))
      done.resolve(writes)
      return []
    }
    // Not through validate(): bytes written for HEAD break body.head-empty; the bridge drops them.
    const response = await toFetchHandler(app)(new Request('http://h/', { method: 'HEAD' }))
    expect(response.body).toBeNull()
    expect(await done.promise).toBe(3)
  })

  it('re-throws excInfo once a write() made the head due', async () => {
    let rethrown: unknown
    const app: App = async (_environ, startResponse) => {
      const write = startResponse('200 OK', [])
      await write(encode('partial '))
      try {
        startResponse('500 Internal Server Error', [], new Error('too late'))
      } catch (error) {
        rethrown = error
      }
      return []
    }
    const response = await toFetchHandler(app)(new Request('http://h/'))
    expect([response.status, await response.text()]).toEqual([200, 'partial '])
    expect(rethrown).toMatchObject({ message: 'too late' })
  })

  it('answers 500 for a head the runtime refuses, and still closes the body once', async () => {
    for (const [status, headers] of [
      ['200 OK', [['Bad Name', 'v']]],
      ['99 Odd', []],
    ] as Array<[string, Array<[string, string]>]>) {
      let closes = 0
      const errors = createErrorBuffer()
      const app: App = (_environ, startResponse) => {
        startResponse(status, headers)
        return Object.assign([encode('x')], { close: () => void closes++ })
      }
      const response = await toFetchHandler(app, { errors })(new Request('http://h/'))
      expect(response.status, status).toBe(500)
      expect(closes, status).toBe(1)
      expect(errors.text()).toContain('toFetchHandler')
    }
  })

  it('closes an idle stream at once when the runtime cancels, without waiting for its next event', async () => {
    const closed = deferred()
    const app: App = (_environ, startResponse) => {
      startResponse('200 OK', [['content-type', 'text/event-stream']])
      const events = (async function* () {
        yield encode('data: first\n\n')
        await new Promise(() => {}) // no next event, ever
      })()
      return Object.assign(events, { close: () => closed.resolve() })
    }
    const response = await toFetchHandler(app)(new Request('http://h/'))
    const reader = response.body!.getReader()
    await reader.read()
    void reader.read()
    await new Promise((resolve) => setTimeout(resolve, 5))
    await reader.cancel()
    await closed.promise
  })

  it('treats a thrown null as excInfo, as any thrown value', async () => {
    const app: App = (_environ, startResponse) => {
      startResponse('200 OK', [])
      try {
        throw null
      } catch (error) {
        startResponse('500 Internal Server Error', [['content-type', 'text/plain']], error)
        return [Buffer.from('replaced')]
      }
    }
    const response = await handler(app)(new Request('http://h/'))
    expect([response.status, await response.text()]).toEqual([500, 'replaced'])
  })
})
