import type { App } from '@tsgi/core'
import { afterEach, describe, expect, it } from 'vitest'
import type { AccessLogEntry, TsgiServer } from '../src/server-options.ts'
import { deferred } from './helpers/apps.ts'
import { RawClient, splitResponses, start } from './helpers/raw-client.ts'

let server: TsgiServer | undefined
afterEach(async () => {
  await server?.close()
  server = undefined
})

const GET = (path: string): string => `GET ${path} HTTP/1.1\r\nHost: x\r\n\r\n`
const bodyOf = (response: string): string => response.slice(response.indexOf('\r\n\r\n') + 4)

/** Waits for the request's signal to abort; resolves with the reason's code. */
function abortOf(signal: AbortSignal): Promise<string> {
  return new Promise((resolve) => {
    const done = () => resolve(String((signal.reason as { code?: string }).code))
    if (signal.aborted) done()
    else signal.addEventListener('abort', done, { once: true })
  })
}

describe('a connection that closes after its response', () => {
  it.each([
    ['Connection: close', 'GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'],
    ['HTTP/1.0', 'GET / HTTP/1.0\r\n\r\n'],
  ])('%s: the finished request is not aborted (as on node:http)', async (_name, request) => {
    const signals: AbortSignal[] = []
    const s = await start((environ, startResponse) => {
      signals.push(environ['tsgi.signal']!)
      startResponse('200 OK', [['Content-Length', '4']])
      return [Buffer.from('done')]
    })
    server = s.server
    const client = await RawClient.connect(s.port)
    client.write(request)
    expect(bodyOf(await client.whenClosed())).toBe('done')
    await new Promise((r) => setTimeout(r, 20))
    expect(signals.map((signal) => signal.aborted)).toEqual([false])
  })
})

describe('a client half-close (FIN) while a request is in flight', () => {
  it('aborts tsgi.signal at once, and a raw app that still answers gets its response written', async () => {
    const reason = deferred<string>()
    const s = await start(async (environ, startResponse) => {
      const code = await abortOf(environ['tsgi.signal']!)
      reason.resolve(code)
      startResponse('200 OK', [])
      return [Buffer.from(`after ${code}`)]
    })
    server = s.server
    const client = await RawClient.connect(s.port)
    client.write(GET('/wait'))
    await new Promise((r) => setTimeout(r, 20)) // the app is running, waiting on its signal
    client.socket.end()
    expect(await reason.promise).toBe('TSGI_CLIENT_DISCONNECTED')
    const text = await client.whenClosed()
    expect(splitResponses(text).map(bodyOf)).toEqual(['after TSGI_CLIENT_DISCONNECTED'])
  })

  it('still answers complete pipelined requests sent before the FIN, with live signals', async () => {
    const signals: boolean[] = []
    const s = await start(async (environ, startResponse) => {
      const signal = environ['tsgi.signal']!
      if (environ.PATH_INFO === '/first') await abortOf(signal)
      signals.push(signal.aborted)
      startResponse('200 OK', [])
      return [Buffer.from(environ.PATH_INFO)]
    })
    server = s.server
    const client = await RawClient.connect(s.port)
    client.write(GET('/first') + GET('/second'))
    await new Promise((r) => setTimeout(r, 20))
    client.socket.end()
    const text = await client.whenClosed()
    expect(splitResponses(text).map(bodyOf)).toEqual(['/first', '/second'])
    expect(signals).toEqual([true, false])
  })
})

describe('a body that fails after the client went away', () => {
  async function failing(error: (signal: AbortSignal) => unknown, leave: 'FIN' | 'RST' = 'FIN') {
    const logs: string[] = []
    const entries: AccessLogEntry[] = []
    const closed = deferred()
    const app: App = (environ, startResponse) => {
      const signal = environ['tsgi.signal']!
      startResponse('200 OK', [])
      return (async function* () {
        yield Buffer.from('streaming\n')
        await abortOf(signal)
        throw error(signal)
      })()
    }
    const s = await start(app, {
      errorLog: (text) => logs.push(text),
      accessLog: (entry) => {
        entries.push(entry)
        closed.resolve()
      },
    })
    server = s.server
    const client = await RawClient.connect(s.port)
    client.write(GET('/events'))
    await client.waitFor((t) => t.includes('streaming'))
    if (leave === 'FIN') client.socket.end()
    else client.socket.resetAndDestroy()
    await client.whenClosed()
    await closed.promise
    return { logs: logs.join(''), status: entries[0]!.status }
  }

  it('logs nothing when it fails with the server’s own tsgi.signal.reason, and logs 499', async () => {
    const { logs, status } = await failing((signal) => signal.reason)
    expect(logs).toBe('')
    expect(status).toBe(499)
  })

  it('logs nothing either when the client reset the connection', async () => {
    const { logs, status } = await failing((signal) => signal.reason, 'RST')
    expect(logs).toBe('')
    expect(status).toBe(499)
  })

  it('recognises the reason by its code too (an adapter that rethrows a copy)', async () => {
    const { logs } = await failing((signal) =>
      Object.assign(new Error('aborted'), { code: (signal.reason as { code: string }).code }),
    )
    expect(logs).toBe('')
  })

  it('still logs a real app error with its stack', async () => {
    const { logs } = await failing(() => new Error('real bug'))
    expect(logs).toMatch(/app error on GET \/events\nError: real bug\n\s+at /)
  })
})
