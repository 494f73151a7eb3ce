import type { App } from '@tsgi/core'
import { afterEach, describe, expect, it } from 'vitest'
import type { TsgiServer } from '../src/server-options.ts'
import { deferred, echoLineApp, textApp } from './helpers/apps.ts'
import { normalize, RawClient, roundTrip, splitResponses, start } from './helpers/raw-client.ts'

let server: TsgiServer | undefined
afterEach(async () => {
  await server?.close()
  server = undefined
})

describe('keep-alive', () => {
  it('serves two HTTP/1.1 requests on one connection, with exact bytes', async () => {
    const s = await start(textApp('hi'))
    server = s.server
    const client = await RawClient.connect(s.port)
    client.write('GET /a HTTP/1.1\r\nHost: x\r\n\r\n')
    await client.responses(1)
    client.write('GET /b HTTP/1.1\r\nHost: x\r\n\r\n')
    const text = await client.responses(2)
    const one =
      'HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nDate: X\r\nServer: tsgi\r\nContent-Length: 2\r\n\r\nhi'
    expect(normalize(text)).toBe(one + one)
    expect(client.closed).toBe(false)
    client.destroy()
  })

  it('closes an HTTP/1.0 connection after the response', async () => {
    const s = await start(textApp('hi'))
    server = s.server
    const text = await roundTrip(s.port, 'GET / HTTP/1.0\r\n\r\n')
    expect(normalize(text)).toBe(
      'HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nDate: X\r\nServer: tsgi\r\nContent-Length: 2\r\nConnection: close\r\n\r\nhi',
    )
  })

  it('keeps an HTTP/1.0 connection with Connection: keep-alive, and says so', async () => {
    const s = await start(textApp('hi'))
    server = s.server
    const client = await RawClient.connect(s.port)
    client.write('GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\nGET / HTTP/1.0\r\n\r\n')
    const text = await client.whenClosed()
    const [first, second] = splitResponses(text)
    expect(first).toContain('\r\nConnection: keep-alive\r\n')
    expect(second).toContain('\r\nConnection: close\r\n')
  })

  it('closes after Connection: close on HTTP/1.1 and ignores what follows', async () => {
    const seen: string[] = []
    const s = await start((environ, startResponse) => {
      seen.push(environ.PATH_INFO)
      startResponse('200 OK', [])
      return []
    })
    server = s.server
    const text = await roundTrip(
      s.port,
      'GET /1 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\nGET /2 HTTP/1.1\r\nHost: x\r\n\r\n',
    )
    expect(splitResponses(text)).toHaveLength(1)
    expect(text).toContain('Connection: close')
    expect(seen).toEqual(['/1'])
  })
})

describe('pipelining', () => {
  it('answers pipelined requests in order even when the first is slowest', async () => {
    const gate = deferred()
    const app: App = async (environ, startResponse) => {
      if (environ.PATH_INFO === '/slow') await gate.promise
      startResponse('200 OK', [])
      return [Buffer.from(environ.PATH_INFO)]
    }
    const s = await start(app)
    server = s.server
    const client = await RawClient.connect(s.port)
    client.write('GET /slow HTTP/1.1\r\nHost: x\r\n\r\nGET /fast HTTP/1.1\r\nHost: x\r\n\r\n')
    setTimeout(() => gate.resolve(), 50)
    const bodies = splitResponses(await client.responses(2)).map((r) => r.slice(r.indexOf('\r\n\r\n') + 4))
    expect(bodies).toEqual(['/slow', '/fast'])
    client.destroy()
  })

  it('does not dispatch a read-ahead request before the previous response finished', async () => {
    const gate = deferred()
    const events: string[] = []
    const app: App = async (environ, startResponse) => {
      events.push(`start ${environ.PATH_INFO}`)
      if (environ.PATH_INFO === '/1') await gate.promise
      startResponse('200 OK', [])
      events.push(`end ${environ.PATH_INFO}`)
      return []
    }
    const s = await start(app)
    server = s.server
    const client = await RawClient.connect(s.port)
    client.write('GET /1 HTTP/1.1\r\nHost: x\r\n\r\nGET /2 HTTP/1.1\r\nHost: x\r\n\r\n')
    await new Promise((r) => setTimeout(r, 50))
    expect(events).toEqual(['start /1'])
    gate.resolve()
    await client.responses(2)
    expect(events).toEqual(['start /1', 'end /1', 'start /2', 'end /2'])
    client.destroy()
  })

  it('keeps the next pipelined request intact after a body (never reads past the message)', async () => {
    const s = await start(echoLineApp)
    server = s.server
    const client = await RawClient.connect(s.port)
    client.write(
      'POST /1 HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabcPOST /2 HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nde\r\n0\r\n\r\nGET /3 HTTP/1.1\r\nHost: x\r\n\r\n',
    )
    const bodies = splitResponses(await client.responses(3)).map((r) => r.slice(r.indexOf('\r\n\r\n') + 4))
    expect(bodies).toEqual(['POST /1 abc', 'POST /2 de', 'GET /3 '])
    client.destroy()
  })

  it('stops reading pipelined requests while the client does not read the responses', async () => {
    let calls = 0
    const big = Buffer.alloc(64 * 1024, 122)
    const s = await start((_e, startResponse) => {
      calls++
      startResponse('200 OK', [])
      return [big]
    })
    server = s.server
    const client = await RawClient.connect(s.port)
    client.socket.pause()
    client.write('GET / HTTP/1.1\r\nHost: x\r\n\r\n'.repeat(1000))
    await new Promise((r) => setTimeout(r, 300))
    // 1000 responses are 64 MiB: only what fits in the socket buffers was produced.
    expect(calls).toBeLessThan(500)
    client.socket.resume()
    await client.waitFor((t) => t.length >= 1000 * big.length, 10_000)
    expect(calls).toBe(1000)
    client.destroy()
  })

  it('answers every complete pipelined request sent before a half-close, then closes', async () => {
    const s = await start(async (environ, startResponse) => {
      await new Promise((r) => setTimeout(r, 5))
      startResponse('200 OK', [])
      return [Buffer.from(environ.PATH_INFO)]
    })
    server = s.server
    const text = await roundTrip(
      s.port,
      'GET /1 HTTP/1.1\r\nHost: x\r\n\r\nGET /2 HTTP/1.1\r\nHost: x\r\n\r\nGET /3 HTT',
      true,
    )
    expect(splitResponses(text).map((r) => r.slice(r.indexOf('\r\n\r\n') + 4))).toEqual(['/1', '/2'])
  })

  it('ignores empty lines before a request line (RFC 9112 §2.2)', async () => {
    const s = await start(textApp('ok'))
    server = s.server
    const client = await RawClient.connect(s.port)
    client.write('\r\n\r\nGET / HTTP/1.1\r\nHost: x\r\n\r\n\r\nGET / HTTP/1.1\r\nHost: x\r\n\r\n')
    expect(splitResponses(await client.responses(2)).every((r) => r.startsWith('HTTP/1.1 200 OK'))).toBe(true)
    client.destroy()
  })
})
