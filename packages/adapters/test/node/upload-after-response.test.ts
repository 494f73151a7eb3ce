import type { IncomingMessage, ServerResponse } from 'node:http'
import { getDefaultHighWaterMark } from 'node:stream'
import { type Body, CONNECTION_DESTROYED, createEnviron } from '@tsgi/core'
import express from 'express'
import { expect, it } from 'vitest'
import { fromExpress, fromNodeHandler } from '../../src/index.ts'
import { LATE_UPLOAD_IDLE_MS } from '../../src/late-upload.ts'
import { open } from './helpers.ts'

// What happens to an upload once the response is out, compared with node:http (lib/_http_server.js,
// resOnFinish): a body the app never read node reads off the connection and throws away, and the
// request still ends ('end', 'close'); a body the app reads after answering node goes on
// delivering, and reads the connection's next request only after it. The gateway server takes
// tsgi.input back when the body closes and throws away what is left (SPEC `input.no-close`).

/** An upload of `size` bytes in 4 KiB chunks, one per turn of the event loop, counting what was taken. */
function upload(size: number): { chunks: AsyncGenerator<Uint8Array>; taken: () => number } {
  let taken = 0
  async function* chunks(): AsyncGenerator<Uint8Array> {
    while (taken < size) {
      await new Promise((resolve) => setImmediate(resolve))
      const chunk = new Uint8Array(Math.min(4096, size - taken)).fill(97)
      taken += chunk.byteLength
      yield chunk
    }
  }
  return { chunks: chunks(), taken: () => taken }
}

/** The events `req` emits, in order, with the error's code for 'error'. */
function recordEvents(req: IncomingMessage): string[] {
  const events: string[] = []
  for (const name of ['aborted', 'end', 'error', 'close']) {
    req.on(name, (error?: { code?: string }) => events.push(name === 'error' ? `error ${error?.code}` : name))
  }
  return events
}

/** Sends the body as a server does: every chunk, then `close()`. */
async function serveBody(body: Body): Promise<void> {
  for await (const _ of body as AsyncIterable<Uint8Array>);
  await body.close?.()
}

const until = async (done: () => boolean): Promise<void> => {
  for (let turns = 0; !done() && turns < 200; turns++) await new Promise((resolve) => setTimeout(resolve, 5))
}

it("ends an upload the app never read once the server took it back, 'end' then 'close', as node:http does", async () => {
  const size = 16 * getDefaultHighWaterMark(false)
  const { chunks } = upload(size)
  let events: string[] = []
  const app = express()
  app.post('/', (req, res) => {
    events = recordEvents(req)
    res.status(413).send('too big')
  })
  const environ = createEnviron({ REQUEST_METHOD: 'POST', CONTENT_LENGTH: String(size), body: chunks })
  await serveBody(await fromExpress(app)(environ, () => async () => {}))
  await until(() => events.includes('close'))
  expect(events).toEqual(['end', 'close'])
})

it('holds the end of the response back while the app reads the upload after answering, and delivers all of it', async () => {
  // Far more than the request's and the socket's buffers hold: most of it is still in tsgi.input
  // when the response is complete.
  const size = 16 * getDefaultHighWaterMark(false)
  const { chunks, taken } = upload(size)
  let received = 0
  let events: string[] = []
  const app = fromNodeHandler((req, res) => {
    events = recordEvents(req)
    req.once('data', (first: Buffer) => {
      received += first.byteLength
      req.pause()
      res.end('answered first')
      setTimeout(() => {
        req.on('data', (chunk: Buffer) => {
          received += chunk.byteLength
        })
        req.resume()
      }, 20)
    })
  })
  const environ = createEnviron({ REQUEST_METHOD: 'POST', CONTENT_LENGTH: String(size), body: chunks })
  const body = await app(environ, () => async () => {})
  expect(Array.isArray(body)).toBe(false)
  const iterator = (body as AsyncIterable<Uint8Array>)[Symbol.asyncIterator]()
  expect(new TextDecoder().decode((await iterator.next()).value)).toBe('answered first')
  // The body ends only once the app has read the upload to its end.
  expect(await iterator.next()).toEqual({ done: true, value: undefined })
  expect(taken()).toBe(size)
  await body.close?.()
  await until(() => events.includes('close'))
  expect(received).toBe(size)
  expect(events).toEqual(['end', 'close'])
})

/**
 * An app that answers on the upload's first chunk and reads the rest `after` ms later (never,
 * when `after` is undefined), recording the request's events and the bytes it got.
 */
function answerFirst(after: number | undefined) {
  return answerFirstWith((res) => res.end('answered first'), after)
}

/** {@link answerFirst} with its own answer. */
function answerFirstWith(
  answer: (res: ServerResponse) => void,
  after: number | undefined,
): {
  app: ReturnType<typeof fromNodeHandler>
  events: () => string[]
  received: () => number
  finished: () => boolean
} {
  let events: string[] = []
  let received = 0
  let finished = false
  const app = fromNodeHandler((req, res) => {
    events = recordEvents(req)
    res.on('finish', () => {
      finished = true
    })
    req.once('data', (first: Buffer) => {
      received += first.byteLength
      req.pause()
      answer(res)
      if (after === undefined) return
      setTimeout(() => {
        req.on('data', (chunk: Buffer) => {
          received += chunk.byteLength
        })
        req.resume()
      }, after)
    })
  })
  return { app, events: () => events, received: () => received, finished: () => finished }
}

it('fails an upload the app reads after answering when the client leaves while the response waits for it', async () => {
  const size = 16 * getDefaultHighWaterMark(false)
  const { chunks, taken } = upload(size)
  const app = answerFirst(200)
  const opened = await open(app.app, { REQUEST_METHOD: 'POST', CONTENT_LENGTH: String(size), body: chunks })
  await opened.iterator.next()
  // The server comes back for more: node finishes the response, whose end then waits for the upload.
  const end = opened.iterator.next()
  await until(app.finished)
  expect(app.finished()).toBe(true)
  // The client leaves: the server stops the body, takes tsgi.input back and discards the rest.
  await opened.iterator.return?.()
  await opened.close()
  await until(() => app.events().includes('close'))
  expect(taken()).toBeLessThan(size)
  expect(app.received()).toBeLessThan(size)
  expect(app.events()).toEqual(['aborted', 'error ECONNRESET', 'close'])
  void end.catch(() => {})
})

it('stops holding the response back once the app stopped reading its upload for a while', async () => {
  const size = 16 * getDefaultHighWaterMark(false)
  const { chunks } = upload(size)
  const app = answerFirst(undefined)
  const environ = createEnviron({ REQUEST_METHOD: 'POST', CONTENT_LENGTH: String(size), body: chunks })
  const body = await app.app(environ, () => async () => {})
  const started = Date.now()
  await serveBody(body)
  const waited = Date.now() - started
  // Held back at least one idle period, not much more than two.
  expect(waited).toBeGreaterThanOrEqual(LATE_UPLOAD_IDLE_MS - 10)
  expect(waited).toBeLessThan(3 * LATE_UPLOAD_IDLE_MS)
  // The server took the upload back: the paused request fails as a dropped connection.
  await until(() => app.events().includes('close'))
  expect(app.events()).toEqual(['aborted', 'error ECONNRESET', 'close'])
})

it('drops the connection when the app destroys a request it was reading after answering, as node:http does', async () => {
  const size = 16 * getDefaultHighWaterMark(false)
  const { chunks } = upload(size)
  const app = fromNodeHandler((req, res) => {
    req.once('data', () => {
      req.pause()
      res.end('answered first')
      setTimeout(() => req.destroy(), 20)
    })
  })
  const environ = createEnviron({ REQUEST_METHOD: 'POST', CONTENT_LENGTH: String(size), body: chunks })
  const body = await app(environ, () => async () => {})
  const iterator = (body as AsyncIterable<Uint8Array>)[Symbol.asyncIterator]()
  expect(new TextDecoder().decode((await iterator.next()).value)).toBe('answered first')
  // The server's next read fails with the code that has it drop the connection (SPEC 6.2).
  await expect(iterator.next()).rejects.toMatchObject({ code: CONNECTION_DESTROYED })
  await body.close?.()
})

it('fails the request as a dropped connection when a read in flight is refused as the server takes the input back', async () => {
  // tsgi.input as the tsgi server's behaves: one chunk, then a read that waits for more, and
  // rejects once the server takes the input back (TSGI_INPUT_AFTER_RESPONSE).
  let refuse: ((error: Error) => void) | undefined
  const input = {
    read: async () => new Uint8Array(0),
    readline: async () => new Uint8Array(0),
    [Symbol.asyncIterator]: () => {
      let first = true
      return {
        next: (): Promise<IteratorResult<Uint8Array>> => {
          if (first) {
            first = false
            return Promise.resolve({ done: false, value: new Uint8Array(1024).fill(99) })
          }
          return new Promise((_resolve, reject) => {
            refuse = reject
          })
        },
      }
    },
  }
  let events: string[] = []
  const opened = await open(
    fromNodeHandler((req, res) => {
      events = recordEvents(req)
      req.once('data', () => {
        res.end('answered first')
        req.on('data', () => {})
      })
    }),
    { REQUEST_METHOD: 'POST', CONTENT_LENGTH: '100000', 'tsgi.input': input as never },
  )
  await opened.iterator.next()
  await until(() => refuse !== undefined)
  // The client left: the server stops the body, takes the input back and refuses the read.
  await opened.iterator.return?.()
  await opened.close()
  refuse!(Object.assign(new Error('taken back'), { code: 'TSGI_INPUT_AFTER_RESPONSE' }))
  await until(() => events.includes('close'))
  expect(events).toEqual(['aborted', 'error ECONNRESET', 'close'])
})

it('waits for a slow client as long as the app keeps reading what arrives', async () => {
  // Two pieces, the second after a pause longer than the idle limit: the stall is the client's.
  async function* trickle(): AsyncGenerator<Uint8Array> {
    yield new Uint8Array(10).fill(97)
    await new Promise((resolve) => setTimeout(resolve, 3 * LATE_UPLOAD_IDLE_MS))
    yield new Uint8Array(10).fill(98)
  }
  let received = 0
  let events: string[] = []
  const app = fromNodeHandler((req, res) => {
    events = recordEvents(req)
    res.end('answered first')
    req.on('data', (chunk: Buffer) => {
      received += chunk.byteLength
    })
  })
  const environ = createEnviron({ REQUEST_METHOD: 'POST', CONTENT_LENGTH: '20', body: trickle() })
  await serveBody(await app(environ, () => async () => {}))
  await until(() => events.includes('close'))
  expect(received).toBe(20)
  expect(events).toEqual(['end', 'close'])
})

it('sends the head of an empty answer at once, though its end waits for the upload', async () => {
  const size = 16 * getDefaultHighWaterMark(false)
  const { chunks } = upload(size)
  // An empty 200 (a bodiless 204's head waits with its end: the server would end the exchange).
  const app = answerFirstWith((res) => res.end(), 20)
  const environ = createEnviron({ REQUEST_METHOD: 'POST', CONTENT_LENGTH: String(size), body: chunks })
  const writes: number[] = []
  let flushedAt: number | undefined
  const body = await app.app(environ, () => async (chunk) => {
    writes.push(chunk.byteLength)
    flushedAt ??= app.received()
  })
  await serveBody(body)
  // The legacy write of an empty chunk (the head) came while most of the upload was still unread.
  expect(writes).toEqual([0])
  expect(flushedAt).toBeLessThan(size)
  expect(app.received()).toBe(size)
})

it('completes a chunked response the app ended before destroying the request it read', async () => {
  const size = 16 * getDefaultHighWaterMark(false)
  const { chunks } = upload(size)
  const app = fromNodeHandler((req, res) => {
    req.once('data', () => {
      req.pause()
      res.write('part one, ')
      res.end('part two')
      setTimeout(() => req.destroy(), 20)
    })
  })
  const environ = createEnviron({ REQUEST_METHOD: 'POST', CONTENT_LENGTH: String(size), body: chunks })
  const body = await app(environ, () => async () => {})
  const parts: string[] = []
  for await (const chunk of body as AsyncIterable<Uint8Array>) parts.push(new TextDecoder().decode(chunk))
  await body.close?.()
  expect(parts.join('')).toBe('part one, part two')
})
