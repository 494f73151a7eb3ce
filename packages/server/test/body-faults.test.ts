// Bodies and apps that misbehave in the ways a response-side audit found: every one gets a
// well-formed answer (or a cut connection once bytes are out), close() runs once after the
// response, the first error is the one logged, and the connection stays in step.
import type { App, Body, HeaderList } from '@tsgi/core'
import { afterEach, describe, expect, it } from 'vitest'
import type { AccessLogEntry, TsgiServer } from '../src/server-options.ts'
import { deferred } from './helpers/apps.ts'
import { normalize, RawClient, roundTrip, start } from './helpers/raw-client.ts'

let server: TsgiServer | undefined
afterEach(async () => {
  await server?.close()
  server = undefined
})

const GET = (path = '/') => `GET ${path} HTTP/1.1\r\nHost: x\r\n\r\n`
const HEAD = (path = '/') => `HEAD ${path} HTTP/1.1\r\nHost: x\r\n\r\n`
const GET_CLOSE = 'GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

async function serving(app: App, gracefulTimeoutMs?: number) {
  const logs: string[] = []
  const entries: AccessLogEntry[] = []
  const s = await start(app, {
    errorLog: (text) => logs.push(text),
    accessLog: (entry) => entries.push(entry),
    ...(gracefulTimeoutMs === undefined ? {} : { limits: { gracefulTimeoutMs } }),
  })
  server = s.server
  return { port: s.port, logs, entries }
}

/** An app answering `/next` with `next`, and everything else with `first`. */
function withNext(first: App): App {
  return (environ, startResponse) => {
    if (environ.PATH_INFO !== '/next') return first(environ, startResponse)
    startResponse('200 OK', [['Content-Length', '4']])
    return [Buffer.from('next')]
  }
}

describe('HEAD, 204 and 304 stop the body once the head is out', () => {
  it('answers HEAD on an endless stream and serves the next request on the connection', async () => {
    const stopped = deferred()
    const app = withNext((_environ, startResponse) => {
      startResponse('200 OK', [['Content-Type', 'text/event-stream']])
      return (async function* () {
        try {
          for (;;) {
            yield Buffer.from('data: tick\n\n')
            await sleep(5)
          }
        } finally {
          stopped.resolve()
        }
      })()
    })
    const { port } = await serving(app)
    const client = await RawClient.connect(port)
    client.write(HEAD('/events') + GET('/next'))
    const text = normalize(await client.responses(2))
    expect(text).toContain('HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n')
    expect(text).not.toContain('tick')
    expect(text.endsWith('next')).toBe(true)
    await stopped.promise
    client.destroy()
  })
})

describe('HEAD after a flushed head', () => {
  it('does not wait for an idle stream whose head went out through an empty write()', async () => {
    const app = withNext((_environ, startResponse) => {
      const write = startResponse('200 OK', [['Content-Type', 'text/event-stream']])
      void write(new Uint8Array(0))
      return (async function* () {
        await new Promise(() => {}) // the first event never comes
      })()
    })
    const { port } = await serving(app)
    const client = await RawClient.connect(port)
    client.write(HEAD('/events') + GET('/next'))
    const text = normalize(await client.responses(2, 1000))
    expect(text.endsWith('next')).toBe(true)
    client.destroy()
  })
})

describe('Expect: 100-continue and keep-alive', () => {
  it('keeps the connection when the body came without waiting for 100 Continue', async () => {
    const app = withNext(async (environ, startResponse) => {
      await sleep(20) // the body arrives meanwhile, so no 100 is due
      const body = await environ['tsgi.input'].read()
      startResponse('200 OK', [['Content-Length', String(body.byteLength)]])
      return [body]
    })
    const { port } = await serving(app)
    const client = await RawClient.connect(port)
    client.write('POST / HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\nhello')
    const first = normalize(await client.responses(1))
    expect(first).not.toContain('Connection: close')
    expect(first.endsWith('hello')).toBe(true)
    client.write(GET('/next'))
    expect(normalize(await client.responses(2)).endsWith('next')).toBe(true)
    client.destroy()
  })
})

describe('close() runs once, after the response', () => {
  it('a close() that never settles holds back neither the end of a chunked body nor the next request', async () => {
    const app = withNext((_environ, startResponse) => {
      startResponse('200 OK', [])
      return Object.assign(
        (async function* () {
          yield Buffer.from('body')
        })(),
        { close: () => new Promise<void>(() => {}) },
      )
    })
    // The server's own close() waits for a body's close() up to the graceful timeout.
    const { port } = await serving(app, 50)
    const client = await RawClient.connect(port)
    client.write(GET('/') + GET('/next'))
    const text = normalize(await client.responses(2))
    expect(text).toContain('Transfer-Encoding: chunked\r\n\r\n4\r\nbody\r\n0\r\n\r\n')
    expect(text.endsWith('next')).toBe(true)
    client.destroy()
  })

  it("the server's close() waits for a body's async close(), as for an in-flight request", async () => {
    let finished = false
    const app: App = (_environ, startResponse) => {
      startResponse('200 OK', [['Content-Length', '2']])
      return Object.assign([Buffer.from('ok')], {
        close: () =>
          sleep(100).then(() => {
            finished = true
          }),
      })
    }
    const { port } = await serving(app)
    await roundTrip(port, GET_CLOSE)
    await server!.close()
    server = undefined
    expect(finished).toBe(true)
  })

  it('a close() that rejects after a complete response is logged, and the connection goes on', async () => {
    for (const close of [
      () => Promise.reject(new Error('close rejected')),
      () => {
        throw new Error('close threw')
      },
    ]) {
      const app = withNext((_environ, startResponse) => {
        startResponse('200 OK', [['Content-Length', '2']])
        return Object.assign([Buffer.from('ok')], { close })
      })
      const { port, logs } = await serving(app)
      const client = await RawClient.connect(port)
      client.write(GET('/') + GET('/next'))
      const text = normalize(await client.responses(2))
      expect(text).toBe(
        'HTTP/1.1 200 OK\r\nContent-Length: 2\r\nDate: X\r\nServer: tsgi\r\n\r\nok' +
          'HTTP/1.1 200 OK\r\nContent-Length: 4\r\nDate: X\r\nServer: tsgi\r\n\r\nnext',
      )
      await sleep(5)
      expect(logs.join('')).toMatch(/body\.close\(\) failed on GET \/\nError: close (rejected|threw)/)
      client.destroy()
      await server?.close()
      server = undefined
    }
  })

  it('runs close() when the iterator cannot be made, when a finally throws, and for a body that is not iterable', async () => {
    let closes = 0
    const close = () => {
      closes++
    }
    const bodies: Record<string, () => unknown> = {
      '/iterator-throws': () => ({
        [Symbol.iterator]() {
          throw new Error('no iterator')
        },
        close,
      }),
      '/finally-throws': () =>
        Object.assign(
          (function* () {
            try {
              yield Buffer.from('a')
              yield 'not bytes' as unknown as Uint8Array
            } finally {
              // biome-ignore lint/correctness/noUnsafeFinally: the case under test
              throw new Error('finally threw')
            }
          })(),
          { close },
        ),
      '/not-iterable': () => ({ close }),
    }
    const app: App = (environ, startResponse) => {
      startResponse('200 OK', [])
      return bodies[environ.PATH_INFO]!() as Body
    }
    const { port, logs } = await serving(app)
    for (const path of Object.keys(bodies)) {
      await roundTrip(port, `GET ${path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`)
    }
    expect(closes).toBe(3)
    const log = logs.join('')
    expect(log).toContain('Error: no iterator')
    expect(log).toContain('the app must return an iterable of Uint8Array, got object')
    // The body's own error is the app error; the throwing finally is reported beside it.
    expect(log).toMatch(/app error on GET \/finally-throws\nAppResponseError: body chunks must be Uint8Array/)
    expect(log).toMatch(/body\.close\(\) failed on GET \/finally-throws\nError: finally threw/)
  })

  it('closes an idle stream at once when the client resets, and logs 499', async () => {
    const closed = deferred()
    const app: App = (_environ, startResponse) => {
      startResponse('200 OK', [['Content-Type', 'text/event-stream']])
      return Object.assign(
        (async function* () {
          yield Buffer.from('data: first\n\n')
          await new Promise(() => {}) // waits for an event that never comes
        })(),
        { close: () => closed.resolve() },
      )
    }
    const { port, entries } = await serving(app)
    const client = await RawClient.connect(port)
    client.write(GET('/events'))
    await client.waitFor((text) => text.includes('first'))
    client.socket.resetAndDestroy()
    await closed.promise
    await sleep(5)
    expect(entries.map((entry) => entry.status)).toEqual([499])
  })
})

describe('one log line where one is due', () => {
  it('logs a stray write() after the response once, however often it comes', async () => {
    const app: App = (_environ, startResponse) => {
      const write = startResponse('200 OK', [['Content-Length', '2']])
      const timer = setInterval(() => void write(Buffer.from('x')), 1)
      setTimeout(() => clearInterval(timer), 40)
      return [Buffer.from('ok')]
    }
    const { port, logs } = await serving(app)
    await roundTrip(port, GET_CLOSE)
    await sleep(60)
    expect(logs.filter((line) => line.includes('write() called after the response ended'))).toHaveLength(1)
  })
})

describe('one access line per request', () => {
  it('logs the 408 of a body that timed out once, though the waiting stream is released after it', async () => {
    const app: App = (environ, startResponse) => {
      startResponse('200 OK', [])
      return (async function* () {
        yield await environ['tsgi.input'].read() // the client never sends the rest of the body
      })()
    }
    const entries: AccessLogEntry[] = []
    const s = await start(app, {
      accessLog: (entry) => entries.push(entry),
      limits: { bodyReadTimeoutMs: 100 },
    })
    server = s.server
    const client = await RawClient.connect(s.port)
    client.write('POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nabc')
    expect(normalize(await client.whenClosed())).toMatch(/^HTTP\/1\.1 408 /)
    await sleep(50)
    expect(entries.map((entry) => entry.status)).toEqual([408])
  })
})

describe('what the app hands over is checked', () => {
  const ERROR_500 = /^HTTP\/1\.1 500 Internal Server Error\r\n/

  it.each<[string, () => [unknown, unknown]]>([
    ['a status without the space before the reason', () => ['200', []]],
    ['a status that is a number', () => [200, []]],
    ['a status past 599', () => ['600 Custom', []]],
    ['headers as a record', () => ['200 OK', { 'Content-Type': 'text/plain' }]],
    ['headers as a Map', () => ['200 OK', new Map([['Content-Type', 'text/plain']])]],
    ['a header of three items', () => ['200 OK', [['X-A', '1', 'extra']]]],
    ['a header that is a string', () => ['200 OK', ['ab']]],
  ])('answers 500 for %s', async (_name, make) => {
    const [status, headers] = make()
    const app: App = (_environ, startResponse) => {
      ;(startResponse as (...args: unknown[]) => unknown)(status, headers)
      return [Buffer.from('x')]
    }
    const { port, logs } = await serving(app)
    expect(normalize(await roundTrip(port, GET()))).toMatch(ERROR_500)
    expect(logs.join('')).toMatch(/AppResponseError: invalid (status|headers|header)/)
  })

  it('drops the fields hop-by-hop by name or named in Connection, and Status', async () => {
    const headers: HeaderList = [
      ['Proxy-Authenticate', 'Basic'],
      ['Proxy-Authorization', 'secret'],
      ['X-Secret', 'internal'],
      ['Connection', 'X-Secret'],
      ['Status', '404 Not Found'],
      ['X-Kept', 'yes'],
    ]
    const app: App = (_environ, startResponse) => {
      startResponse('200 OK', headers)
      return [Buffer.from('ok')]
    }
    const { port } = await serving(app)
    const text = normalize(await roundTrip(port, GET_CLOSE))
    expect(text).toBe(
      'HTTP/1.1 200 OK\r\nX-Kept: yes\r\nDate: X\r\nServer: tsgi\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok',
    )
  })

  it('logs an app that throws null, and one that returns undefined, by what they did', async () => {
    const app: App = (environ) => {
      if (environ.PATH_INFO === '/null') throw null
      return undefined as unknown as Body
    }
    const { port, logs } = await serving(app)
    for (const path of ['/null', '/undefined'])
      expect(normalize(await roundTrip(port, GET(path)))).toMatch(ERROR_500)
    const log = logs.join('')
    expect(log).toContain('tsgi: app error on GET /null\nnull\n')
    expect(log).toContain('the app must return an iterable of Uint8Array, got undefined')
    expect(log).not.toContain('internal error')
  })

  it('sends valid early hints without framing or connection fields, and refuses bad ones', async () => {
    let refused: unknown
    const app: App = (environ, startResponse) => {
      const hints = environ['tsgi.early_hints']!
      void hints([
        ['Link', '</a.css>; rel=preload'],
        ['Content-Length', '9'],
        ['Transfer-Encoding', 'chunked'],
        ['Connection', 'close'],
      ])
      try {
        void hints([['Link', undefined as unknown as string]])
      } catch (error) {
        refused = error
      }
      startResponse('200 OK', [['Content-Length', '2']])
      return [Buffer.from('ok')]
    }
    const { port } = await serving(app)
    const text = normalize(await roundTrip(port, GET_CLOSE))
    expect(
      text.startsWith('HTTP/1.1 103 Early Hints\r\nLink: </a.css>; rel=preload\r\n\r\nHTTP/1.1 200 OK\r\n'),
    ).toBe(true)
    expect(refused).toMatchObject({ code: 'TSGI_INVALID_RESPONSE' })
  })
})
