import { type Body, createEnviron, type HeaderList } from '@tsgi/core'
import { Hono } from 'hono'
import { expect, it } from 'vitest'
import { fromFetch, fromHono } from '../../src/index.ts'

// A fetch handler may answer first and read its upload after (the `Response` is returned, the
// request body read on). On `@hono/node-server` the upload keeps arriving; the gateway server
// takes tsgi.input back when the response's body ends and discards the rest, so the bridge must
// not end the body while such a read is in progress. It did, and the handler's read then ended
// early, as if the upload were whole.

const SIZE = 512 * 1024

/** An upload of {@link SIZE} bytes in 4 KiB chunks, one per turn of the event loop. */
async function* upload(): AsyncGenerator<Uint8Array> {
  for (let sent = 0; sent < SIZE; sent += 4096) {
    await new Promise((resolve) => setImmediate(resolve))
    yield new Uint8Array(4096).fill(98)
  }
}

/** Reads `body` to its end from `reader`, after a pause; resolves with the byte count. */
function readOnLater(reader: ReadableStreamDefaultReader<Uint8Array>, first: number): Promise<number> {
  return new Promise((resolve, reject) => {
    setTimeout(async () => {
      let bytes = first
      try {
        for (let step = await reader.read(); !step.done; step = await reader.read())
          bytes += step.value.byteLength
        resolve(bytes)
      } catch (error) {
        reject(error)
      }
    }, 20)
  })
}

it('ends the response only once a handler reading its upload after answering has read all of it', async () => {
  let read: Promise<number> | undefined
  const app = new Hono().post('/', async (c) => {
    const reader = c.req.raw.body!.getReader()
    const first = await reader.read()
    read = readOnLater(reader, first.value?.byteLength ?? 0)
    return c.text('answered first\n')
  })
  let headers: HeaderList = []
  const environ = createEnviron({ REQUEST_METHOD: 'POST', CONTENT_LENGTH: String(SIZE), body: upload() })
  const body: Body = await fromHono(app)(environ, (_status, h) => {
    headers = h
    return async () => {}
  })
  // Sized, as the whole body it is: not an array, which would end (and close) at once.
  expect(Array.isArray(body)).toBe(false)
  expect(headers.find(([name]) => name.toLowerCase() === 'content-length')?.[1]).toBe('15')
  let ended = false
  const iterated = (async () => {
    for await (const _ of body as AsyncIterable<Uint8Array>);
    ended = true
    await body.close?.()
  })()
  let bytesAtEnd = 0
  void read!.then((bytes) => {
    bytesAtEnd = bytes
  })
  await iterated
  expect(ended).toBe(true)
  expect(await read!).toBe(SIZE)
  // The body's end came after the read's: nothing was left for the server to take back.
  expect(bytesAtEnd).toBe(SIZE)
})

it('ends the response at once when the handler gives up on its upload (cancel)', async () => {
  const app = fromFetch(async (request) => {
    const reader = request.body!.getReader()
    await reader.read()
    setTimeout(() => void reader.cancel(), 20)
    return new Response('answered first\n')
  })
  const environ = createEnviron({ REQUEST_METHOD: 'POST', CONTENT_LENGTH: String(SIZE), body: upload() })
  const body = await app(environ, () => async () => {})
  const started = Date.now()
  for await (const _ of body as AsyncIterable<Uint8Array>);
  await body.close?.()
  // The cancel is what ended the wait, well before the upload could have arrived.
  expect(Date.now() - started).toBeLessThan(500)
})

it('sends a complete answer at once, as an array, when the handler read its upload first', async () => {
  const app = fromFetch(async (request) => new Response(`got ${(await request.arrayBuffer()).byteLength}`))
  const environ = createEnviron({ REQUEST_METHOD: 'POST', CONTENT_LENGTH: String(SIZE), body: upload() })
  const body = await app(environ, () => async () => {})
  expect(Array.isArray(body)).toBe(true)
  expect(new TextDecoder().decode((body as Uint8Array[])[0])).toBe(`got ${SIZE}`)
})
