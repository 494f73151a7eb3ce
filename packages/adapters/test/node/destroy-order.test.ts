import { once } from 'node:events'
import { createServer, type IncomingMessage, type ServerResponse, STATUS_CODES } from 'node:http'
import type { AddressInfo } from 'node:net'
import { connect } from 'node:net'
import { setTimeout as sleep } from 'node:timers/promises'
import express from 'express'
import { describe, expect, it } from 'vitest'
import { fromExpress } from '../../src/express.ts'
import { fromNodeHandler } from '../../src/node-handler.ts'
import { call, deferred, open } from './helpers.ts'

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

describe('an app that ends its response after the client left', () => {
  // The whole sized body is out, the client leaves, then the app calls `res.end()`: node emits
  // 'finish' all the same. The bridge's socket had let go of the response by then; detaching it
  // again used to fail node's own assertion and kill the process.
  const handler =
    (events: string[], ended: () => void) =>
    (req: IncomingMessage, res: ServerResponse): void => {
      for (const name of ['aborted', 'close']) req.on(name, () => events.push(`req ${name}`))
      for (const name of ['finish', 'close']) res.on(name, () => events.push(`res ${name}`))
      res.writeHead(200, { 'Content-Length': '3' })
      res.write('abc')
      setTimeout(() => {
        res.end()
        setTimeout(ended, 30)
      }, 50)
    }

  it('hears the same events as on node:http, and the process lives on', async () => {
    const native: string[] = []
    let nativeEnded!: () => void
    const nativeDone = new Promise<void>((resolve) => {
      nativeEnded = resolve
    })
    const server = createServer(handler(native, () => nativeEnded())).listen(0, '127.0.0.1')
    await once(server, 'listening')
    try {
      const socket = connect((server.address() as AddressInfo).port, '127.0.0.1')
      socket.write('GET / HTTP/1.1\r\nHost: x\r\n\r\n')
      // The whole response read first: a close with bytes unread would be a reset, not a FIN.
      let received = ''
      for await (const chunk of socket) {
        received += String(chunk)
        if (received.endsWith('abc')) break
      }
      socket.destroy()
      await nativeDone
    } finally {
      server.close()
    }
    expect(native).toEqual(['req aborted', 'res close', 'req close', 'res finish'])

    const bridged: string[] = []
    let bridgedEnded!: () => void
    const bridgedDone = new Promise<void>((resolve) => {
      bridgedEnded = resolve
    })
    const opened = await open(fromNodeHandler(handler(bridged, () => bridgedEnded())))
    // The server takes the body and asks for more (its end); the client leaves; the server closes the body.
    await opened.iterator.next()
    void opened.iterator.next().catch(() => {})
    opened.abort.abort()
    await opened.close()
    await bridgedDone
    expect(bridged).toEqual(native)
  })
})

describe('a bodiless answer whose head went out before the app ended it', () => {
  // HEAD, 204 and 304 are whole once their head is out: the server closes the body there, while
  // the app's response is still open (`flushHeaders()`, `end()` later). On node:http the request
  // just ends; it must not look aborted.
  it.each([
    ['HEAD', 200],
    ['GET', 204],
    ['GET', 304],
  ])('%s %s: no abort, then finish and close', async (method, code) => {
    const events: string[] = []
    const ended = deferred()
    const app = fromNodeHandler((req, res) => {
      for (const name of ['aborted', 'close']) req.on(name, () => events.push(`req ${name}`))
      for (const name of ['finish', 'close']) res.on(name, () => events.push(`res ${name}`))
      res.statusCode = code
      res.flushHeaders()
      setTimeout(() => {
        res.end()
        setTimeout(ended.resolve, 20)
      }, 20)
    })
    const opened = await open(app, { REQUEST_METHOD: method })
    expect([opened.status, opened.writes.length]).toEqual([`${code} ${STATUS_CODES[code]}`, 1])
    await opened.close()
    await ended.promise
    expect(events).toEqual(['res finish', 'res close', 'req close'])
  })
})

describe('the order of finish and close', () => {
  // An app that read its upload hears the request's 'close' after its response's 'finish', as on
  // node:http, where the kernel takes a whole small response at once: code that reads
  // `res.writableFinished` in `req.on('close')` to tell an abort must see a complete answer.
  const handler = (events: string[]) => {
    const app = express()
    app.post(
      '/',
      (req, res, next) => {
        req.on('close', () => events.push(`req close, writableFinished ${res.writableFinished}`))
        res.on('finish', () => events.push('res finish'))
        res.on('close', () => events.push('res close'))
        next()
      },
      express.json(),
      (req, res) => res.json({ got: req.body }),
    )
    return app
  }

  it('is the same as on node:http for an upload read before a sized answer', async () => {
    const native: string[] = []
    const server = createServer(handler(native)).listen(0, '127.0.0.1')
    await once(server, 'listening')
    try {
      const socket = connect((server.address() as AddressInfo).port, '127.0.0.1')
      socket.on('data', () => {})
      socket.write(
        'POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 7\r\n\r\n{"a":1}',
      )
      await sleep(50)
      socket.destroy()
    } finally {
      server.close()
    }
    expect(native).toEqual(['res finish', 'res close', 'req close, writableFinished true'])
    const bridged: string[] = []
    const response = await call(fromExpress(handler(bridged)), {
      method: 'POST',
      url: '/',
      headers: { 'content-type': 'application/json' },
      body: '{"a":1}',
    })
    expect(response.text()).toBe('{"got":{"a":1}}')
    await sleep(20)
    expect(bridged).toEqual(native)
  })
})
