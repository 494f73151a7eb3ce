import { afterEach, describe, expect, it } from 'vitest'
import type { TsgiServer } from '../src/server-options.ts'
import { textApp } from './helpers/apps.ts'
import { RawClient, roundTrip, start } from './helpers/raw-client.ts'

let server: TsgiServer | undefined
afterEach(async () => {
  await server?.close()
  server = undefined
})

describe('timeouts', () => {
  it('answers 408 and closes when the head does not complete within headersTimeoutMs', async () => {
    const s = await start(textApp('ok'), { limits: { headersTimeoutMs: 100 } })
    server = s.server
    const client = await RawClient.connect(s.port)
    client.write('GET / HTTP/1.1\r\nHost: x\r\n')
    const started = Date.now()
    const text = await client.whenClosed()
    expect(text).toMatch(/^HTTP\/1\.1 408 Request Timeout\r\n[\s\S]*Connection: close\r\n/)
    expect(Date.now() - started).toBeGreaterThanOrEqual(90)
  })

  it('closes an idle keep-alive connection silently after keepAliveTimeoutMs', async () => {
    const s = await start(textApp('ok'), { limits: { keepAliveTimeoutMs: 100 } })
    server = s.server
    const client = await RawClient.connect(s.port)
    client.write('GET / HTTP/1.1\r\nHost: x\r\n\r\n')
    await client.responses(1)
    const text = await client.whenClosed()
    expect(text.match(/HTTP\/1\.1/g)).toHaveLength(1)
  })

  it('keeps a connection whose next request arrives before the keep-alive timeout', async () => {
    const s = await start(textApp('ok'), { limits: { keepAliveTimeoutMs: 300 } })
    server = s.server
    const client = await RawClient.connect(s.port)
    for (let i = 1; i <= 3; i++) {
      client.write('GET / HTTP/1.1\r\nHost: x\r\n\r\n')
      await client.responses(i)
      await new Promise((r) => setTimeout(r, 100))
    }
    expect(client.closed).toBe(false)
    client.destroy()
  })

  it('keeps serving normal requests while 200 slowloris connections trickle, and cuts those at the deadline', async () => {
    const s = await start(textApp('ok'), { limits: { headersTimeoutMs: 300 } })
    server = s.server
    const slow = await Promise.all(Array.from({ length: 200 }, () => RawClient.connect(s.port)))
    const head = 'GET / HTTP/1.1\r\nHost: x\r\nX-Slow: '
    let i = 0
    const trickle = setInterval(() => {
      for (const c of slow) if (!c.closed) c.write(head[i % head.length]!)
      i++
    }, 20)
    try {
      const normal = await roundTrip(s.port, 'GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n')
      expect(normal).toMatch(/^HTTP\/1\.1 200 OK\r\n/)
      // Served while every slow connection is still open: it did not wait for them.
      expect(slow.filter((c) => c.closed)).toHaveLength(0)
      const endings = await Promise.all(slow.map((c) => c.whenClosed()))
      for (const text of endings) expect(text).toMatch(/^HTTP\/1\.1 408 Request Timeout\r\n/)
    } finally {
      clearInterval(trickle)
    }
  })
})
