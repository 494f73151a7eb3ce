import { Agent, type IncomingMessage, request } from 'node:http'
import { fromNodeHandler, type NodeHandler } from '@tsgi/adapters'
import type { App } from '@tsgi/core'
import { afterEach, describe, expect, it } from 'vitest'
import type { TsgiServer } from '../src/server-options.ts'
import { RawClient, splitResponses, start } from './helpers/raw-client.ts'

let server: TsgiServer | undefined
const agents: Agent[] = []
afterEach(async () => {
  for (const agent of agents.splice(0)) agent.destroy()
  await server?.close()
  server = undefined
})

/** An agent that sends every request over one keep-alive connection, one after the other. */
function oneConnection(): Agent {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 })
  agents.push(agent)
  return agent
}

interface Sent {
  method?: string
  path?: string
  body?: string | Buffer
  chunked?: boolean
}

function send(port: number, agent: Agent, sent: Sent = {}): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = {}
    if (sent.body !== undefined && !sent.chunked)
      headers['content-length'] = String(Buffer.byteLength(sent.body))
    const req = request(
      { port, host: '127.0.0.1', agent, method: sent.method ?? 'GET', path: sent.path ?? '/', headers },
      (res: IncomingMessage) => {
        const chunks: Buffer[] = []
        res.on('data', (chunk: Buffer) => chunks.push(chunk))
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString() }))
      },
    )
    req.on('error', reject)
    // A body given to end() alone would go out sized: written first, it goes out chunked.
    if (sent.body !== undefined && sent.chunked) req.write(sent.body)
    if (sent.body !== undefined && !sent.chunked) req.end(sent.body)
    else req.end()
  })
}

/** Names each socket a handler sees, in the order first seen. */
function socketNames(): (socket: object) => string {
  const names = new WeakMap<object, string>()
  let next = 0
  return (socket) => {
    let name = names.get(socket)
    if (name === undefined) {
      name = `socket ${++next}`
      names.set(socket, name)
    }
    return name
  }
}

/** Reads the whole upload (when there is one), then answers what it saw. */
function reporting(name: (socket: object) => string): NodeHandler {
  return (req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString()
      res.setHeader('content-type', 'application/json')
      const framing = req.headers['transfer-encoding'] ?? req.headers['content-length'] ?? 'none'
      res.end(JSON.stringify({ socket: name(req.socket), body, framing, bytesRead: req.socket.bytesRead }))
    })
  }
}

describe('tsgi-server.connection', () => {
  it('is one frozen object for every request of a connection, and another for each connection', async () => {
    const seen: unknown[] = []
    const app: App = (environ, startResponse) => {
      seen.push(environ['tsgi-server.connection'])
      startResponse('204 No Content', [])
      return []
    }
    server = (await start(app)).server
    const port = Number(server.address.split(':').pop())
    const first = oneConnection()
    await send(port, first)
    await send(port, first)
    await send(port, oneConnection())
    expect(seen).toHaveLength(3)
    expect(typeof seen[0]).toBe('object')
    expect(Object.isFrozen(seen[0])).toBe(true)
    expect(Object.keys(seen[0] as object)).toEqual([])
    expect(seen[1]).toBe(seen[0])
    expect(seen[2]).not.toBe(seen[0])
  })
})

describe('the Node bridge on the tsgi server: one req.socket per connection, as on node:http', () => {
  it('gives the requests of one keep-alive connection the same socket, another connection another', async () => {
    const name = socketNames()
    const s = await start(fromNodeHandler(reporting(name)))
    server = s.server
    const agent = oneConnection()
    const answers = [
      await send(s.port, agent),
      await send(s.port, agent),
      await send(s.port, oneConnection()),
    ]
    expect(answers.map((answer) => JSON.parse(answer.text).socket)).toEqual([
      'socket 1',
      'socket 1',
      'socket 2',
    ])
  })

  it('reads each upload of a connection whole, sized or chunked, and counts bytesRead across them', async () => {
    const name = socketNames()
    const s = await start(fromNodeHandler(reporting(name)))
    server = s.server
    const agent = oneConnection()
    const big = 'x'.repeat(200_000)
    const answers = []
    answers.push(await send(s.port, agent, { method: 'POST', body: 'first' }))
    answers.push(await send(s.port, agent, { method: 'POST', body: big }))
    answers.push(await send(s.port, agent))
    answers.push(await send(s.port, agent, { method: 'PUT', body: 'third, chunked', chunked: true }))
    answers.push(await send(s.port, agent, { method: 'POST', body: 'last' }))
    const seen = answers.map((answer) => JSON.parse(answer.text))
    expect(seen.map((answer) => answer.socket)).toEqual(Array(5).fill('socket 1'))
    expect(seen.map((answer) => answer.body)).toEqual(['first', big, '', 'third, chunked', 'last'])
    expect(seen.map((answer) => answer.framing)).toEqual(['5', '200000', 'none', 'chunked', '4'])
    expect(seen.map((answer) => answer.bytesRead)).toEqual([5, 200_005, 200_005, 200_019, 200_023])
  })

  it('reads the next upload of a connection whose last one the app left unread or half read', async () => {
    const name = socketNames()
    const s = await start(
      fromNodeHandler((req, res) => {
        if (req.url === '/ignore') {
          res.end('ignored')
        } else if (req.url === '/half') {
          req.once('data', () => {
            req.pause()
            res.end('half')
          })
        } else {
          reporting(name)(req, res)
        }
      }),
    )
    server = s.server
    const agent = oneConnection()
    expect(
      (await send(s.port, agent, { method: 'POST', path: '/ignore', body: 'a'.repeat(100_000) })).text,
    ).toBe('ignored')
    const after = JSON.parse((await send(s.port, agent, { method: 'POST', body: 'read me' })).text)
    expect(after.body).toBe('read me')
    expect(
      (await send(s.port, agent, { method: 'POST', path: '/half', body: 'b'.repeat(300_000) })).text,
    ).toBe('half')
    const last = JSON.parse((await send(s.port, agent, { method: 'POST', body: 'and me' })).text)
    expect(last.body).toBe('and me')
  })

  it("does not carry a request's inactivity timeout over to the next request of the connection", async () => {
    let timeouts = 0
    const s = await start(
      fromNodeHandler((req, res) => {
        if (req.url === '/short') {
          req.setTimeout(50, () => timeouts++)
          res.end('short')
        } else {
          setTimeout(() => res.end(req.socket.destroyed ? 'destroyed' : 'slow'), 200)
        }
      }),
    )
    server = s.server
    const agent = oneConnection()
    expect((await send(s.port, agent, { path: '/short' })).text).toBe('short')
    expect((await send(s.port, agent, { path: '/slow' })).text).toBe('slow')
    expect(timeouts).toBe(0)
  })

  it.each([
    ['destroyed', '/destroy'],
    ['ended', '/end'],
  ])(
    'gives the next request a socket of its own when the app %s the last one after answering',
    async (_, path) => {
      const name = socketNames()
      const sockets: string[] = []
      const s = await start(
        fromNodeHandler((req, res) => {
          sockets.push(name(req.socket))
          if (req.url === '/end') res.end('done', () => req.socket.end())
          else res.end('done')
          if (req.url === '/destroy') setImmediate(() => req.socket.destroy())
        }),
      )
      server = s.server
      const client = await RawClient.connect(s.port)
      client.write(`GET ${path} HTTP/1.1\r\nHost: x\r\n\r\n`)
      await client.responses(1)
      await new Promise((resolve) => setTimeout(resolve, 20))
      client.write('GET /next HTTP/1.1\r\nHost: x\r\n\r\n')
      const text = await client.responses(2)
      expect(splitResponses(text).map((response) => response.endsWith('done'))).toEqual([true, true])
      expect(sockets).toEqual(['socket 1', 'socket 2'])
      client.destroy()
    },
  )

  it('answers pipelined requests in order, uploads included', async () => {
    const name = socketNames()
    const s = await start(fromNodeHandler(reporting(name)))
    server = s.server
    const client = await RawClient.connect(s.port)
    client.write(
      'POST /1 HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\none' +
        'GET /2 HTTP/1.1\r\nHost: x\r\n\r\n' +
        'POST /3 HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nthree\r\n0\r\n\r\n' +
        'POST /4 HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\n\r\nfour',
    )
    const text = await client.responses(4)
    const bodies = splitResponses(text).map((response) =>
      JSON.parse(response.slice(response.indexOf('\r\n\r\n') + 4)),
    )
    expect(bodies.map((body) => body.body)).toEqual(['one', '', 'three', 'four'])
    client.destroy()
  })
})
