import { connect } from 'node:net'
import type { App } from '@tsgi/core'
import { afterEach, describe, expect, it } from 'vitest'
import type { TsgiServer } from '../src/server-options.ts'
import { deferred, echoLineApp } from './helpers/apps.ts'
import { RawClient, roundTrip, splitResponses, start } from './helpers/raw-client.ts'

let server: TsgiServer | undefined
afterEach(async () => {
  await server?.close()
  server = undefined
})

const ignoreBody: App = (environ, startResponse) => {
  startResponse('200 OK', [])
  return [Buffer.from(environ.PATH_INFO)]
}

describe('request bodies', () => {
  it('discards a small unread body and reuses the connection', async () => {
    const s = await start(ignoreBody)
    server = s.server
    const client = await RawClient.connect(s.port)
    client.write(`POST /1 HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n${'a'.repeat(1000)}`)
    client.write(
      'POST /2 HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\nGET /3 HTTP/1.1\r\nHost: x\r\n\r\n',
    )
    const bodies = splitResponses(await client.responses(3)).map((r) => r.slice(r.indexOf('\r\n\r\n') + 4))
    expect(bodies).toEqual(['/1', '/2', '/3'])
    client.destroy()
  })

  it('fails a read of tsgi.input after the response, rather than end a body it discarded', async () => {
    const late = deferred<unknown>()
    const app: App = (environ, startResponse) => {
      const input = environ['tsgi.input']
      return (async () => {
        await input.read(4)
        startResponse('200 OK', [])
        // Read once the response is out and the server has taken the input back.
        setTimeout(() => input.read().then(late.resolve, late.resolve), 50)
        return [Buffer.from('answered')]
      })()
    }
    const s = await start(app)
    server = s.server
    const client = await RawClient.connect(s.port)
    client.write(`POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n${'a'.repeat(1000)}`)
    await client.responses(1)
    expect(await late.promise).toMatchObject({ code: 'TSGI_INPUT_AFTER_RESPONSE' })
    client.destroy()
  })

  it('closes instead of discarding a rest larger than maxDiscardBodyBytes', async () => {
    const s = await start(ignoreBody, { limits: { maxDiscardBodyBytes: 100 } })
    server = s.server
    const client = await RawClient.connect(s.port)
    client.write('POST /1 HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n')
    await client.responses(1)
    client.write(Buffer.alloc(1000, 97))
    const text = await client.whenClosed()
    expect(splitResponses(text)).toHaveLength(1)
  })

  it('answers 408 when the client stalls mid-body while the app reads', async () => {
    const s = await start(echoLineApp, { limits: { bodyReadTimeoutMs: 100 } })
    server = s.server
    const text = await roundTrip(s.port, 'POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nabc')
    expect(text).toMatch(/^HTTP\/1\.1 408 Request Timeout\r\n[\s\S]*Connection: close\r\n/)
  })

  it('streams an upload with backpressure: the client stalls while the app does not read', async () => {
    const reading = deferred()
    let received = 0
    const s = await start(async (environ, startResponse) => {
      await reading.promise
      for await (const chunk of environ['tsgi.input']) received += chunk.length
      startResponse('200 OK', [])
      return [Buffer.from(String(received))]
    })
    server = s.server
    const total = 64 * 1024 * 1024
    const socket = connect({ host: '127.0.0.1', port: s.port })
    await new Promise((r) => socket.once('connect', r))
    socket.write(`POST / HTTP/1.1\r\nHost: x\r\nContent-Length: ${total}\r\nConnection: close\r\n\r\n`)
    const block = Buffer.alloc(1024 * 1024, 120)
    let written = 0
    let stalled = false
    const answer = new Promise<string>((resolve) => {
      let text = ''
      socket.on('data', (d) => {
        text += d.toString('latin1')
      })
      socket.on('close', () => resolve(text))
    })
    while (written < total) {
      written += block.length
      if (!socket.write(block)) {
        const drained = await Promise.race([
          new Promise<boolean>((r) => socket.once('drain', () => r(true))),
          new Promise<boolean>((r) => setTimeout(() => r(false), 200)),
        ])
        if (!drained) {
          // Nothing moves while the app is not reading: the server paused the socket.
          stalled = true
          expect(written).toBeLessThan(total)
          reading.resolve()
          await new Promise((r) => socket.once('drain', r))
        }
      }
    }
    reading.resolve()
    expect(stalled).toBe(true)
    expect((await answer).endsWith(`\r\n\r\n${total}`)).toBe(true)
  })

  it('streams a download chunk by chunk, pulling the body only as the client reads', async () => {
    let produced = 0
    async function* big(): AsyncGenerator<Uint8Array> {
      for (let i = 0; i < 1024; i++) {
        produced++
        yield Buffer.alloc(64 * 1024, 121)
      }
    }
    const s = await start((_e, startResponse) => {
      startResponse('200 OK', [])
      return big()
    })
    server = s.server
    const socket = connect({ host: '127.0.0.1', port: s.port })
    socket.write('GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n')
    socket.pause()
    await new Promise((r) => setTimeout(r, 200))
    // Only what fits in socket buffers was produced, not the 64 MiB body.
    expect(produced).toBeLessThan(400)
    let bytes = 0
    socket.on('data', (d: Buffer) => {
      bytes += d.length
    })
    socket.resume()
    await new Promise((r) => socket.on('close', r))
    expect(produced).toBe(1024)
    expect(bytes).toBeGreaterThan(64 * 1024 * 1024)
  })
})
