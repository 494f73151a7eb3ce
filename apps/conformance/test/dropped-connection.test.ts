import { once } from 'node:events'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import { connect } from 'node:net'
import { adapt } from '@tsgi/adapters'
import { CONNECTION_DESTROYED, validate } from '@tsgi/core'
import { type AccessLogEntry, serve } from '@tsgi/server'
import express5 from 'express'
import express4 from 'express4'
import Koa3 from 'koa'
import Koa2 from 'koa2'
import { describe, expect, it } from 'vitest'

// An app that destroys its socket before answering (a rate limiter, an abuse filter) drops the
// connection without a response on node:http; through the gateway it must do the same (SPEC 6.2),
// not turn into the server's 500.

type Drop = (req: IncomingMessage, res: ServerResponse) => void
const DROPS: Array<[string, Drop]> = [
  ['req.socket.destroy()', (req) => req.socket.destroy()],
  ['res.destroy()', (_req, res) => res.destroy()],
  ['req.destroy()', (req) => req.destroy()],
  ['req.socket.destroy() a moment later', (req) => setTimeout(() => req.socket.destroy(), 20)],
]

/** The apps under test: each framework drops in its own middleware, as apps do. */
function apps(drop: Drop): Array<[string, unknown, Drop]> {
  const koa = (Koa: typeof Koa3) => {
    const app = new Koa()
    app.silent = true
    app.use((ctx) => {
      drop(ctx.req, ctx.res)
      ctx.respond = false
    })
    return app
  }
  const express = (factory: typeof express5) => {
    const app = factory()
    app.use((req, res) => drop(req, res))
    return app
  }
  return [
    ['express 4', express(express4 as unknown as typeof express5), drop],
    ['express 5', express(express5), drop],
    ['koa 2', koa(Koa2 as unknown as typeof Koa3), drop],
    ['koa 3', koa(Koa3), drop],
  ]
}

/**
 * Sends one GET and returns every byte the server sent before it closed the connection, or
 * (`openAfter`) what it sent within that many ms while the connection stayed open.
 */
async function exchange(port: number, openAfter?: number): Promise<string> {
  const socket = connect(port, '127.0.0.1')
  const chunks: Buffer[] = []
  socket.on('data', (chunk: Buffer) => chunks.push(chunk))
  socket.write('GET /x HTTP/1.1\r\nHost: t\r\n\r\n')
  try {
    await Promise.race([
      once(socket, 'close'),
      new Promise((resolve, reject) =>
        openAfter === undefined
          ? setTimeout(() => reject(new Error('connection still open')), 3000)
          : setTimeout(resolve, openAfter),
      ),
    ])
  } finally {
    socket.destroy()
  }
  return Buffer.concat(chunks).toString('latin1')
}

async function onNodeHttp(app: unknown): Promise<string> {
  const handler = (app as { callback?: () => Drop }).callback?.() ?? (app as Drop)
  const server = createServer(handler)
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  try {
    return await exchange((server.address() as { port: number }).port)
  } finally {
    server.close()
  }
}

async function onTsgi(
  app: unknown,
  openAfter?: number,
): Promise<{ bytes: string; errors: string; access: AccessLogEntry[] }> {
  let errors = ''
  const access: AccessLogEntry[] = []
  // Through validate(): what the adapters make of a destroy conforms to the SPEC.
  const server = await serve(validate(adapt(app)), {
    bind: ['127.0.0.1:0'],
    errorLog: (text) => {
      errors += text
    },
    accessLog: (line) => access.push(line),
  })
  try {
    const bytes = await exchange(Number(new URL(server.address).port), openAfter)
    return { bytes, errors, access }
  } finally {
    await server.close()
  }
}

describe.each(DROPS)('an app that calls %s before answering', (_how, drop) => {
  it.each(apps(drop))(
    '%s: no response and a closed connection, natively and through tsgi',
    async (_name, app) => {
      expect(await onNodeHttp(app)).toBe('')
      const tsgi = await onTsgi(app)
      expect(tsgi.bytes).toBe('')
      expect(tsgi.errors).toBe('')
      expect(tsgi.access.map((entry) => entry.status)).toEqual([444])
    },
  )
})

it('a raw gateway app drops its connection with the CONNECTION_DESTROYED code', async () => {
  const app = () => {
    throw Object.assign(new Error('dropped'), { code: CONNECTION_DESTROYED })
  }
  const tsgi = await onTsgi(adapt(app))
  expect(tsgi).toMatchObject({ bytes: '', errors: '' })
})

/** The 429 arrives whole, then the connection closes, natively and through tsgi, with no error. */
async function wholeThenClosed(_name: string, app: unknown): Promise<void> {
  expect(completeResponse(await onNodeHttp(app))).toEqual({ status: 429, body: 'Too Many Requests' })
  // exchange() fails unless the server closes the connection.
  const tsgi = await onTsgi(app)
  expect(completeResponse(tsgi.bytes)).toEqual({ status: 429, body: 'Too Many Requests' })
  expect(tsgi.errors).toBe('')
  expect(tsgi.access.map((entry) => entry.status)).toEqual([429])
}

// A rate limiter's "answer, then close": node wrote the response to the socket before destroying
// it, so the client gets all of it, then the connection closes, natively and through the gateway.
// Node frames the first shape chunked (writeHead without a length), the second with Content-Length.
const ANSWERS: Array<[string, (res: ServerResponse) => void]> = [
  [
    'writeHead() then end(body)',
    (res) => {
      res.writeHead(429, { 'Content-Type': 'text/plain' })
      res.end('Too Many Requests')
    },
  ],
  [
    'statusCode then end(body)',
    (res) => {
      res.statusCode = 429
      res.end('Too Many Requests')
    },
  ],
]
describe.each(
  DROPS.slice(0, 3).flatMap(([how, destroy]) =>
    ANSWERS.map(([shape, answer]) => [shape, how, answer, destroy] as const),
  ),
)('an app that answers (%s) and then calls %s at once', (_shape, _how, answer, destroy) => {
  const answerThenDrop: Drop = (req, res) => {
    answer(res)
    destroy(req, res)
  }
  it.each(apps(answerThenDrop))('%s: the whole response, then a closed connection', wholeThenClosed)
})

// Sized by the app and half sent before the end and the destroy: the server already took part
// of the body, which the length still frames whole.
describe('an app that sends part of a sized answer, then ends it and destroys its socket', () => {
  const later: Drop = (req, res) => {
    res.writeHead(429, { 'Content-Type': 'text/plain', 'Content-Length': '17' })
    res.write('Too Many')
    setTimeout(() => {
      res.end(' Requests')
      req.socket.destroy()
    }, 20)
  }
  it.each(apps(later))('%s: the whole response, then a closed connection', wholeThenClosed)
})

// An empty answer has no byte after its head to fail behind: the head must still reach the
// client (with or without a 103 before it), never be dropped as if nothing was sent (444). The
// connection then closes where the head already went out, and may stay open otherwise.
const EMPTY_ANSWERS: Array<[string, (res: ServerResponse) => void]> = [
  [
    'statusCode then end()',
    (res) => {
      res.statusCode = 429
      res.end()
    },
  ],
  [
    'a 103, then statusCode and end()',
    (res) => {
      res.writeEarlyHints({ link: '</a.css>; rel=preload; as=style' })
      res.statusCode = 429
      res.end()
    },
  ],
  [
    'a 103, then 204',
    (res) => {
      res.writeEarlyHints({ link: '</a.css>; rel=preload; as=style' })
      res.statusCode = 204
      res.end()
    },
  ],
]
describe.each(EMPTY_ANSWERS)(
  'an app that answers empty (%s) and then destroys its socket',
  (_shape, answer) => {
    const emptyThenDrop: Drop = (req, res) => {
      answer(res)
      req.socket.destroy()
    }
    it.each(apps(emptyThenDrop))('%s: the final head reaches the client', async (_name, app) => {
      const native = await onNodeHttp(app)
      const tsgi = await onTsgi(app, 300)
      const finalStatus = (raw: string) => /HTTP\/1\.1 (?!1\d\d)(\d{3})/.exec(raw)?.[1]
      expect(finalStatus(tsgi.bytes)).toBe(finalStatus(native))
      expect(tsgi.errors).toBe('')
      expect(tsgi.access.map((entry) => entry.status)).toEqual([Number(finalStatus(native))])
    })
  },
)

/** Status and body of one whole response (Content-Length or chunked); throws when it is cut short. */
function completeResponse(raw: string): { status: number; body: string } {
  const end = raw.indexOf('\r\n\r\n')
  const head = raw.slice(0, end)
  let rest = raw.slice(end + 4)
  const length = /\r\ncontent-length: *(\d+)/i.exec(head)
  let body = ''
  if (length) {
    body = rest.slice(0, Number(length[1]))
    if (body.length !== Number(length[1])) throw new Error(`cut short: ${JSON.stringify(raw)}`)
  } else {
    for (;;) {
      const line = rest.indexOf('\r\n')
      const size = Number.parseInt(rest.slice(0, line), 16)
      if (line === -1 || Number.isNaN(size)) throw new Error(`cut short: ${JSON.stringify(raw)}`)
      if (size === 0) break
      body += rest.slice(line + 2, line + 2 + size)
      rest = rest.slice(line + 2 + size + 2)
    }
  }
  return { status: Number(head.slice(9, 12)), body }
}
