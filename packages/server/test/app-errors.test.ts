import { type App, type Body, CONNECTION_DESTROYED } from '@tsgi/core'
import { afterEach, describe, expect, it } from 'vitest'
import type { TsgiServer } from '../src/server-options.ts'
import { deferred } from './helpers/apps.ts'
import { normalize, RawClient, roundTrip, start } from './helpers/raw-client.ts'

let server: TsgiServer | undefined
afterEach(async () => {
  await server?.close()
  server = undefined
})

const GET = 'GET / HTTP/1.1\r\nHost: x\r\n\r\n'
const GET_CLOSE = 'GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'
const ERROR_500 =
  'HTTP/1.1 500 Internal Server Error\r\nDate: X\r\nServer: tsgi\r\nContent-Type: text/plain; charset=latin1\r\n' +
  'Content-Length: 26\r\nConnection: close\r\n\r\n500 Internal Server Error\n'

async function run(app: App, request = GET_CLOSE): Promise<{ text: string; logs: string }> {
  const logs: string[] = []
  const s = await start(app, { errorLog: (t) => logs.push(t) })
  server = s.server
  const text = normalize(await roundTrip(s.port, request))
  return { text, logs: logs.join('') }
}

describe('app errors', () => {
  it('answers 500 when the app throws before responding, and logs the stack', async () => {
    const { text, logs } = await run(() => {
      throw new Error('boom')
    })
    expect(text).toBe(ERROR_500)
    expect(logs).toMatch(/app error on GET \/\nError: boom\n\s+at /)
  })

  it('drops the connection without a response for the CONNECTION_DESTROYED code (SPEC 6.2), logging 444', async () => {
    const statuses: number[] = []
    const logs: string[] = []
    const s = await start(
      async () => {
        throw Object.assign(new Error('dropped'), { code: CONNECTION_DESTROYED })
      },
      { errorLog: (t) => logs.push(t), accessLog: (entry) => statuses.push(entry.status) },
    )
    server = s.server
    // Keep-alive request: the server, not the client, ends the connection, with nothing sent.
    expect(await roundTrip(s.port, GET)).toBe('')
    expect(logs).toEqual([])
    expect(statuses).toEqual([444])
  })

  it('logs 499, not 444, when the client left before the app dropped the connection', async () => {
    const statuses: number[] = []
    const gone = deferred()
    const s = await start(
      async (environ) => {
        await new Promise((resolve) => environ['tsgi.signal']!.addEventListener('abort', resolve))
        gone.resolve()
        throw Object.assign(new Error('dropped'), { code: CONNECTION_DESTROYED })
      },
      { accessLog: (entry) => statuses.push(entry.status) },
    )
    server = s.server
    const client = await RawClient.connect(s.port)
    client.write(GET)
    await new Promise((resolve) => setTimeout(resolve, 20))
    client.destroy()
    await gone.promise
    await new Promise((resolve) => setTimeout(resolve, 20))
    expect(statuses).toEqual([499])
  })

  it('cuts a response under way for the CONNECTION_DESTROYED code, without an app error', async () => {
    const logs: string[] = []
    const s = await start(
      (_e, sr) => {
        sr('200 OK', [])
        return (async function* () {
          yield new TextEncoder().encode('part')
          throw Object.assign(new Error('dropped'), { code: CONNECTION_DESTROYED })
        })()
      },
      { errorLog: (t) => logs.push(t) },
    )
    server = s.server
    const text = await roundTrip(s.port, GET)
    expect(text).toMatch(/^HTTP\/1\.1 200 OK\r\n[\s\S]*Transfer-Encoding: chunked\r\n\r\n4\r\npart\r\n$/)
    expect(logs).toEqual([])
  })

  it('answers 500 when the app rejects', async () => {
    const { text } = await run(async () => {
      throw new Error('later')
    })
    expect(text).toBe(ERROR_500)
  })

  it('answers 500 when the body throws before its first chunk, and closes the body', async () => {
    let closed = 0
    const body = {
      *[Symbol.iterator]() {
        yield new Uint8Array(0)
        throw new Error('mid')
      },
      close() {
        closed++
      },
    }
    const { text } = await run((_e, sr) => {
      sr('200 OK', [])
      return body
    })
    expect(text).toBe(ERROR_500)
    expect(closed).toBe(1)
  })

  it('cuts the connection when the body throws after the first byte', async () => {
    async function* body(): AsyncGenerator<Uint8Array> {
      yield Buffer.from('partial')
      throw new Error('after')
    }
    const { text } = await run((_e, sr) => {
      sr('200 OK', [])
      return body()
    }, GET)
    expect(text).toBe(
      'HTTP/1.1 200 OK\r\nDate: X\r\nServer: tsgi\r\nTransfer-Encoding: chunked\r\n\r\n7\r\npartial\r\n',
    )
  })

  it('answers 500 for an invalid status or a header with CR/LF (no header injection)', async () => {
    const badStatus = await run((_e, sr) => {
      sr('OK', [])
      return []
    })
    expect(badStatus.text).toBe(ERROR_500)
    await server?.close()
    const injected = await run((_e, sr) => {
      sr('200 OK', [['X', 'a\r\nSet-Cookie: evil=1']])
      return [Buffer.from('x')]
    })
    expect(injected.text).toBe(ERROR_500)
  })

  it('answers 500 when the app returns without calling startResponse', async () => {
    expect((await run(() => [Buffer.from('x')])).text).toBe(ERROR_500)
  })

  it('throws on a second startResponse without excInfo, and replaces unsent headers with it', async () => {
    let second: unknown
    const { text } = await run((_e, sr) => {
      sr('200 OK', [['X-First', '1']])
      try {
        sr('201 Created', [])
      } catch (error) {
        second = error
      }
      sr('500 Oops', [['X-Second', '1']], new Error('handled'))
      return [Buffer.from('e')]
    })
    expect((second as { code: string }).code).toBe('TSGI_START_RESPONSE_TWICE')
    expect(text).toMatch(/^HTTP\/1\.1 500 Oops\r\nX-Second: 1\r\n/)
    expect(text).not.toContain('X-First')
  })

  it('rethrows excInfo once the head is out', async () => {
    let rethrown: unknown
    const original = new Error('original')
    const app: App = async (_e, sr) => {
      const write = sr('200 OK', [])
      await write(Buffer.from('sent'))
      try {
        sr('500 Oops', [], original)
      } catch (error) {
        rethrown = error
      }
      return []
    }
    await run(app)
    expect(rethrown).toBe(original)
  })

  it('refuses a late legacy write with a rejection, logged, that cannot leak into the next response', async () => {
    let late: Promise<void> | undefined
    const logs: string[] = []
    const s = await start(
      (environ, sr) => {
        const write = sr('200 OK', [])
        // Not awaited, as a stray call from a timer would be: it must not throw out of the timer.
        if (environ.PATH_INFO === '/1') setTimeout(() => (late = write(Buffer.from('LEAK'))), 10)
        return [Buffer.from(environ.PATH_INFO)]
      },
      { errorLog: (text) => logs.push(text) },
    )
    server = s.server
    const client = await RawClient.connect(s.port)
    client.write('GET /1 HTTP/1.1\r\nHost: x\r\n\r\n')
    await client.responses(1)
    await new Promise((r) => setTimeout(r, 30))
    client.write('GET /2 HTTP/1.1\r\nHost: x\r\n\r\n')
    const text = await client.responses(2)
    expect(text).not.toContain('LEAK')
    await expect(late).rejects.toMatchObject({ code: 'TSGI_INVALID_RESPONSE' })
    expect(logs.join('')).toContain('write() called after the response ended')
    client.destroy()
  })

  it('survives an app that throws non-Error values, and keeps serving', async () => {
    let n = 0
    const s = await start(() => {
      n++
      if (n === 1) throw 'a string'
      return (() => {
        throw null
      })()
    })
    server = s.server
    for (let i = 0; i < 2; i++) expect(await roundTrip(s.port, GET)).toMatch(/^HTTP\/1\.1 500 /)
  })
})

describe('client disconnect', () => {
  it('aborts tsgi.signal, returns the iterator and closes the body', async () => {
    const aborted = deferred<string>()
    const returned = deferred()
    const closed = deferred()
    let sent = 0
    const app: App = (environ, sr) => {
      const signal = environ['tsgi.signal']!
      signal.addEventListener('abort', () =>
        aborted.resolve(String((signal.reason as { code: string }).code)),
      )
      sr('200 OK', [])
      const body: Body & AsyncIterator<Uint8Array> = {
        [Symbol.asyncIterator]() {
          return this
        },
        async next() {
          await new Promise((r) => setTimeout(r, 5))
          sent++
          return { done: false, value: Buffer.from('tick\n') }
        },
        async return() {
          returned.resolve()
          return { done: true, value: undefined }
        },
        close() {
          closed.resolve()
        },
      }
      return body
    }
    const s = await start(app)
    server = s.server
    const client = await RawClient.connect(s.port)
    client.write(GET)
    await client.waitFor((t) => t.includes('tick'))
    client.destroy()
    expect(await aborted.promise).toBe('TSGI_CLIENT_DISCONNECTED')
    await returned.promise
    await closed.promise
    const at = sent
    await new Promise((r) => setTimeout(r, 30))
    expect(sent - at).toBeLessThanOrEqual(1)
  })

  it('rejects a pending tsgi.input read when the client goes away mid-body', async () => {
    const failure = deferred<string>()
    const s = await start(async (environ, sr) => {
      try {
        await environ['tsgi.input'].read()
      } catch (error) {
        failure.resolve((error as { code: string }).code)
      }
      sr('200 OK', [])
      return []
    })
    server = s.server
    const client = await RawClient.connect(s.port)
    client.write('POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nabc')
    await new Promise((r) => setTimeout(r, 20))
    client.destroy()
    expect(['TSGI_CLIENT_DISCONNECTED', 'TSGI_INCOMPLETE_BODY']).toContain(await failure.promise)
  })
})
