import { connect, type Socket } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import type { TsgiServer } from '../src/server-options.ts'
import { deferred, textApp } from './helpers/apps.ts'
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

/** Reads `socket`, stopping for `pauseMs` after every `step` bytes; returns the count so far. */
function readInSteps(socket: Socket, step: number, pauseMs: number): () => number {
  let taken = 0
  let mark = 0
  socket.on('data', (chunk: Buffer) => {
    taken += chunk.length
    if (taken - mark < step) return
    mark = taken
    socket.pause()
    setTimeout(() => socket.resume(), pauseMs)
  })
  return () => taken
}

describe('the send timeout', () => {
  /** An endless download in 64 KiB chunks (enough to back the output up behind any client); `cut` settles when it stops. */
  function endless(cut: () => void) {
    return (_environ: unknown, startResponse: (status: string, headers: [string, string][]) => unknown) => {
      startResponse('200 OK', [['Content-Type', 'application/octet-stream']])
      const chunk = new Uint8Array(65_536)
      return (function* () {
        try {
          for (;;) yield chunk
        } finally {
          cut()
        }
      })()
    }
  }

  it('cuts a connection whose client takes nothing for sendTimeoutMs', async () => {
    const stopped = deferred()
    const s = await start(endless(stopped.resolve) as never, { limits: { sendTimeoutMs: 300 } })
    server = s.server
    const socket = connect(s.port, '127.0.0.1')
    socket.pause() // never reads: its kernel buffers fill, then the server's
    socket.write('GET / HTTP/1.1\r\nHost: x\r\n\r\n')
    const started = Date.now()
    await stopped.promise
    // Within the limit plus two sweep periods (at most 75 ms each here).
    expect(Date.now() - started).toBeGreaterThanOrEqual(300)
    expect(Date.now() - started).toBeLessThan(3000)
    socket.destroy()
  })

  it('keeps a client that reads slowly but steadily, however long the download', async () => {
    let cut = false
    const s = await start(
      endless(() => {
        cut = true
      }) as never,
      { limits: { sendTimeoutMs: 1000 } },
    )
    server = s.server
    const socket = connect(s.port, '127.0.0.1')
    socket.write('GET / HTTP/1.1\r\nHost: x\r\n\r\n')
    // A client that stops for 100 ms after every MiB: the server's output waits on it again and
    // again, but it keeps taking bytes, so the wait restarts each time.
    const taken = readInSteps(socket, 1 << 20, 100)
    await new Promise((resolve) => setTimeout(resolve, 1500))
    expect(cut).toBe(false)
    expect(taken()).toBeGreaterThan(4 << 20)
    socket.destroy()
  })

  it('keeps a steady reader of one large write (a whole body in one buffer), which drains only at its end', {
    timeout: 15_000,
  }, async () => {
    // Far more than the loopback's socket buffers hold, so most of it waits in the one write.
    const body = Buffer.alloc(64 << 20, 7)
    const s = await start(
      (_environ, startResponse) => {
        startResponse('200 OK', [['Content-Type', 'application/octet-stream']])
        return [body]
      },
      { limits: { sendTimeoutMs: 1000 } },
    )
    server = s.server
    const socket = connect(s.port, '127.0.0.1')
    socket.write('GET / HTTP/1.1\r\nHost: x\r\n\r\n')
    // Stops for 50 ms after every 2 MiB: about 40 MiB/s, so the one write takes well over the
    // 1 s limit, and drains only at its end.
    const taken = readInSteps(socket, 2 << 20, 50)
    const closed = new Promise((resolve) => socket.once('close', resolve))
    for (let i = 0; i < 200 && taken() < body.length; i++)
      await new Promise((resolve) => setTimeout(resolve, 50))
    expect(taken()).toBeGreaterThan(body.length)
    socket.destroy()
    await closed
  })
})
