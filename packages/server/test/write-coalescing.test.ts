import { Socket } from 'node:net'
import type { App } from '@tsgi/core'
import { afterEach, describe, expect, it } from 'vitest'
import type { TsgiServer } from '../src/server-options.ts'
import { deferred } from './helpers/apps.ts'
import { normalize, RawClient, start } from './helpers/raw-client.ts'

let server: TsgiServer | undefined
afterEach(async () => {
  await server?.close()
  server = undefined
})

const GET = 'GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'
const CHUNKS = Array.from({ length: 8 }, (_, i) => `chunk ${i};`)
const CHUNKED_BODY = `${CHUNKS.map((c) => `${c.length.toString(16)}\r\n${c}\r\n`).join('')}0\r\n\r\n`

/**
 * Counts the writes the server's socket hands to the system while `run` goes on: node calls a
 * socket's `_write` for a lone buffer and `_writev` for several corked ones, one syscall each.
 */
async function countServerWrites(port: number, run: () => Promise<void>): Promise<number> {
  const proto = Socket.prototype as unknown as Record<'_write' | '_writev', (...args: unknown[]) => void>
  const original = { _write: proto._write, _writev: proto._writev }
  let writes = 0
  for (const name of ['_write', '_writev'] as const) {
    proto[name] = function (this: Socket, ...args: unknown[]) {
      if (this.localPort === port) writes++
      return original[name].apply(this, args)
    }
  }
  try {
    await run()
  } finally {
    Object.assign(proto, original)
  }
  return writes
}

async function served(app: App): Promise<{ port: number; text: string; writes: number }> {
  const s = await start(app)
  server = s.server
  let text = ''
  const writes = await countServerWrites(s.port, async () => {
    const client = await RawClient.connect(s.port)
    client.write(GET)
    text = normalize(await client.whenClosed())
  })
  return { port: s.port, text, writes }
}

describe('writes coalesced within a turn', () => {
  it('sends the chunks a generator makes in one turn in one write, head and last chunk included', async () => {
    const generator: App = (_environ, startResponse) => {
      startResponse('200 OK', [['Content-Type', 'text/plain']])
      return (async function* () {
        for (const chunk of CHUNKS) yield Buffer.from(chunk)
      })()
    }
    const { text, writes } = await served(generator)
    expect(text.endsWith(`\r\n\r\n${CHUNKED_BODY}`)).toBe(true)
    expect(writes).toBe(1)
  })

  it('sends a loop of awaited write() calls in one write too', async () => {
    const writer: App = async (_environ, startResponse) => {
      const write = startResponse('200 OK', [['Content-Type', 'text/plain']])
      for (const chunk of CHUNKS) await write(Buffer.from(chunk))
      return []
    }
    const { text, writes } = await served(writer)
    expect(text.endsWith(`\r\n\r\n${CHUNKED_BODY}`)).toBe(true)
    expect(writes).toBe(1)
  })

  it('sends a chunk made in one turn before the body makes the next (a stream is not held back)', async () => {
    const gate = deferred()
    const stream: App = (_environ, startResponse) => {
      startResponse('200 OK', [['Content-Type', 'text/event-stream']])
      return (async function* () {
        yield Buffer.from('data: first\n\n')
        await gate.promise
        yield Buffer.from('data: second\n\n')
      })()
    }
    const s = await start(stream)
    server = s.server
    const client = await RawClient.connect(s.port)
    client.write(GET)
    // The second chunk waits for this: the first must arrive on its own.
    await client.waitFor((text) => text.includes('data: first'))
    expect(client.text).not.toContain('second')
    gate.resolve()
    expect(await client.whenClosed()).toContain('data: second')
  })

  it('still sends what the body made before it threw, then cuts the connection', async () => {
    const failing: App = (_environ, startResponse) => {
      startResponse('200 OK', [])
      return (async function* () {
        yield Buffer.from('made')
        yield Buffer.from(' before')
        throw new Error('after two chunks, in the same turn')
      })()
    }
    const { text } = await served(failing)
    expect(text.endsWith('\r\n\r\n4\r\nmade\r\n7\r\n before\r\n')).toBe(true)
  })
})
