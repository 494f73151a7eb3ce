import { connect } from 'node:net'
import type { App } from '@tsgi/core'
import { describe, expect, it } from 'vitest'
import { deferred } from './helpers/apps.ts'
import { RawClient, start } from './helpers/raw-client.ts'

const slowApp: App = async (environ, startResponse) => {
  await new Promise((r) => setTimeout(r, Number(environ.QUERY_STRING) || 0))
  startResponse('200 OK', [])
  return [Buffer.from(environ.PATH_INFO)]
}

describe('graceful close', () => {
  it('loses no accepted request under load', async () => {
    const { server, port } = await start(slowApp)
    const clients = await Promise.all(Array.from({ length: 100 }, () => RawClient.connect(port)))
    // Let the server accept them all (a connection still in the listen backlog is not accepted).
    await new Promise((r) => setTimeout(r, 50))
    // Every connection is accepted; requests are sent just before close() and still in flight.
    for (const [i, c] of clients.entries()) c.write(`GET /${i}?${i % 20} HTTP/1.1\r\nHost: x\r\n\r\n`)
    const results = clients.map((c) => c.whenClosed())
    const closing = server.close()
    const texts = await Promise.all(results)
    await closing
    texts.forEach((text, i) => {
      expect(text).toMatch(/^HTTP\/1\.1 200 OK\r\n/)
      expect(text.endsWith(`\r\n\r\n/${i}`)).toBe(true)
    })
  })

  it('finishes the in-flight response with Connection: close, closes idle connections, stops accepting', async () => {
    const gate = deferred()
    const { server, port } = await start(async (_e, startResponse) => {
      await gate.promise
      startResponse('200 OK', [])
      return [Buffer.from('done')]
    })
    const idle = await RawClient.connect(port)
    const busy = await RawClient.connect(port)
    busy.write('GET / HTTP/1.1\r\nHost: x\r\n\r\n')
    await new Promise((r) => setTimeout(r, 20))
    const closing = server.close()
    expect(await idle.whenClosed()).toBe('')
    const refused = await new Promise<string>((resolve) => {
      const s = connect({ host: '127.0.0.1', port })
      s.on('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? 'error'))
      s.on('close', () => resolve('closed'))
    })
    expect(['ECONNREFUSED', 'ECONNRESET', 'closed']).toContain(refused)
    gate.resolve()
    const text = await busy.whenClosed()
    expect(text).toMatch(/^HTTP\/1\.1 200 OK\r\n[\s\S]*Connection: close\r\n\r\ndone$/)
    await closing
  })

  it('cuts requests still running after gracefulTimeoutMs, and says so in the error log', async () => {
    const logs: string[] = []
    const { server, port } = await start(() => new Promise(() => {}), {
      limits: { gracefulTimeoutMs: 50 },
      errorLog: (text) => logs.push(text),
    })
    const client = await RawClient.connect(port)
    client.write('GET / HTTP/1.1\r\nHost: x\r\n\r\n')
    await new Promise((r) => setTimeout(r, 20))
    await server.close()
    expect(await client.whenClosed()).toBe('')
    expect(logs).toEqual(['tsgi: graceful timeout (50 ms) expired: cutting 1 connection(s) still busy\n'])
  })

  it('is not held for the keep-alive timeout by an idle client that keeps its side open', async () => {
    const { server, port } = await start(slowApp, { limits: { keepAliveTimeoutMs: 5000 } })
    // allowHalfOpen: the client never answers our FIN with its own.
    const socket = connect({ host: '127.0.0.1', port, allowHalfOpen: true })
    socket.write('GET /a HTTP/1.1\r\nHost: x\r\n\r\n')
    await new Promise((resolve) => socket.once('data', resolve))
    socket.on('end', () => {})
    const started = Date.now()
    await server.close()
    expect(Date.now() - started).toBeLessThan(2500)
    socket.destroy()
  })

  it('cuts the linger of a connection already closing (Connection: close) to a second', async () => {
    const { server, port } = await start(slowApp, { limits: { keepAliveTimeoutMs: 5000 } })
    const socket = connect({ host: '127.0.0.1', port, allowHalfOpen: true })
    socket.write('GET /a HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n')
    socket.resume()
    await new Promise((resolve) => socket.once('end', resolve)) // our FIN: the server lingers
    const started = Date.now()
    await server.close()
    expect(Date.now() - started).toBeLessThan(2500)
    socket.destroy()
  })

  it('does not call idle connections busy when a zero graceful timeout closes them', async () => {
    const logs: string[] = []
    const { server, port } = await start(slowApp, {
      limits: { gracefulTimeoutMs: 0 },
      errorLog: (t) => logs.push(t),
    })
    const client = await RawClient.connect(port)
    client.write('GET /a HTTP/1.1\r\nHost: x\r\n\r\n')
    await client.responses(1)
    await server.close()
    expect(logs).toEqual([])
    client.destroy()
  })
})
