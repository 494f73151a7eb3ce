import { once } from 'node:events'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { connect } from 'node:net'
import { setTimeout as sleep } from 'node:timers/promises'
import { describe, expect, it } from 'vitest'
import { fromNodeHandler } from '../../src/node-handler.ts'
import { call, open } from './helpers.ts'

// An app that destroys its request, response or socket hears the same events in the same order
// through the bridge as on node:http (its cleanup code, `on-finished` included, depends on them).

type Destroy = (req: IncomingMessage, res: ServerResponse) => void
const DESTROYS: Array<[string, Destroy]> = [
  ['req.destroy()', (req) => req.destroy()],
  ['res.destroy()', (_req, res) => res.destroy()],
  ['req.socket.destroy()', (req) => req.socket.destroy()],
]

function recording(destroy: Destroy, events: string[]) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    req.on('aborted', () => events.push('req aborted'))
    req.on('close', () => events.push('req close'))
    res.on('close', () => events.push('res close'))
    req.socket.on('close', () => events.push('socket close'))
    destroy(req, res)
  }
}

async function natively(destroy: Destroy): Promise<string[]> {
  const events: string[] = []
  const server = createServer(recording(destroy, events)).listen(0, '127.0.0.1')
  await once(server, 'listening')
  try {
    const socket = connect((server.address() as AddressInfo).port, '127.0.0.1')
    socket.on('data', () => {})
    socket.write('GET / HTTP/1.1\r\nHost: x\r\n\r\n')
    await once(socket, 'close')
    await sleep(30)
    return events
  } finally {
    server.close()
  }
}

async function bridged(destroy: Destroy): Promise<string[]> {
  const events: string[] = []
  await call(fromNodeHandler(recording(destroy, events))).catch(() => {})
  await sleep(30)
  return events
}

describe('events after an app destroys its connection', () => {
  it.each(DESTROYS)('%s: the same events in the same order as on node:http', async (_how, destroy) => {
    const expected = await natively(destroy)
    expect(expected).toContain('res close')
    expect(await bridged(destroy)).toEqual(expected)
  })
})

describe('a write node has not sent yet when the app destroys the socket', () => {
  it('is lost, as on node:http: res.write() corks until the next tick, and destroy() comes first', async () => {
    const app = fromNodeHandler((req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/plain' })
      res.write('partial')
      req.socket.destroy()
    })
    // Nothing went out: the gateway app fails before any head, asking for the drop (SPEC 6.2),
    // rather than answering 200 with a body cut after 'partial'.
    await expect(open(app)).rejects.toMatchObject({ code: 'TSGI_CONNECTION_DESTROYED' })
  })
})
