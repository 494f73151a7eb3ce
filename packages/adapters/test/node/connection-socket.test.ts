import type { IncomingMessage } from 'node:http'
import { describe, expect, it } from 'vitest'
import { fromNodeHandler } from '../../src/node-handler.ts'
import { call } from './helpers.ts'

/** Calls a handler that records its `req.socket`, once per environ extra given, one request after the other. */
async function socketsOf(extras: Array<Record<string, unknown>>): Promise<unknown[]> {
  const sockets: unknown[] = []
  const app = fromNodeHandler((req: IncomingMessage, res) => {
    sockets.push(req.socket)
    res.end('ok')
  })
  for (const extra of extras) {
    const response = await call(app, { environ: extra })
    expect(response.text()).toBe('ok')
    // As the next request on a connection comes: on a later turn of the event loop, once node
    // finished the last response (a request before that gets a socket of its own).
    await new Promise((resolve) => setImmediate(resolve))
  }
  return sockets
}

describe('tsgi-server.connection in the Node bridge', () => {
  it('gives the requests of one connection (one key object) one socket, and another key another', async () => {
    const connection = Object.freeze(Object.create(null))
    const other = Object.freeze(Object.create(null))
    const [first, second, third] = await socketsOf([
      { 'tsgi-server.connection': connection },
      { 'tsgi-server.connection': connection },
      { 'tsgi-server.connection': other },
    ])
    expect(second).toBe(first)
    expect(third).not.toBe(first)
  })

  it.each([
    ['absent', undefined],
    ['a string', 'conn-1'],
    ['a number', 7],
    ['null', null],
  ])('gives every request a socket of its own when the key is %s', async (_, value) => {
    const extra = value === undefined ? {} : { 'tsgi-server.connection': value }
    const [first, second] = await socketsOf([extra, extra])
    expect(second).not.toBe(first)
  })
})
