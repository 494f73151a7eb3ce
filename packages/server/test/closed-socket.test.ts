import { createServer, type Socket } from 'node:net'
import type { App } from '@tsgi/core'
import { afterEach, expect, it } from 'vitest'
import { serve } from '../src/server.ts'
import type { TsgiServer } from '../src/server-options.ts'
import { roundTrip } from './helpers/raw-client.ts'

let server: TsgiServer | undefined
afterEach(async () => {
  await server?.close()
  server = undefined
})

const hello: App = (_environ, startResponse) => {
  startResponse('200 OK', [['Content-Length', '2']])
  return [Buffer.from('ok')]
}

// Node frees a closed socket with its handle, a GC or two later, and V8 promotes whatever the
// socket still references then: with a new connection per request (a proxy speaking HTTP/1.0,
// `Connection: close`), that was every connection and its last request
// (`bench/server-scenarios.mjs --only connection-close`).
it("leaves a closed socket holding none of its connection: its listeners are node's own again", async () => {
  const EVENTS = ['data', 'end', 'close', 'drain'] as const
  const listener = createServer({ allowHalfOpen: true })
  const sockets: { socket: Socket; nodeOwn: number[] }[] = []
  // Added before serve() adds its own, so this sees the socket with node's listeners only.
  listener.on('connection', (socket: Socket) =>
    sockets.push({ socket, nodeOwn: EVENTS.map((event) => socket.listenerCount(event)) }),
  )
  server = await serve(hello, { bind: ['127.0.0.1:0'], server: listener, errorLog: () => {} })
  const port = Number(server.address.slice(server.address.lastIndexOf(':') + 1))
  const response = await roundTrip(port, 'GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n')
  expect(response).toMatch(/^HTTP\/1\.1 200 OK\r\n[\s\S]*\r\n\r\nok$/)
  const { socket, nodeOwn } = sockets[0]!
  if (!socket.closed) await new Promise((resolve) => socket.once('close', resolve))
  await new Promise((resolve) => setImmediate(resolve))
  expect(EVENTS.map((event) => socket.listenerCount(event))).toEqual(nodeOwn)
})
