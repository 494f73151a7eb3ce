import type { IncomingMessage } from 'node:http'
import { type Body, createEnviron, type HeaderList, type InputStream } from '@tsgi/core'
import { Hono } from 'hono'
import { expect, it } from 'vitest'
import { fromFetch, fromHono } from '../../src/index.ts'
import { LATE_UPLOAD_IDLE_MS } from '../../src/late-upload.ts'

// A fetch handler may answer first and read its upload after (the `Response` is returned, the
// request body read on). On `@hono/node-server` the upload keeps arriving. The gateway server
// takes tsgi.input back when the response's body ends and refuses later reads (SPEC 4), so the
// bridge must not end the body while such a read goes on. It did, and the handler's read failed
// (or, on a server that ends the input instead, stopped short as if the upload were whole).

const SIZE = 512 * 1024

/**
 * tsgi.input as the tsgi server behaves: {@link SIZE} bytes in 4 KiB chunks, one per turn of the
 * event loop; once `takeBack()` ran (the server closed the body), a read short of the end fails.
 */
function serverInput(stallAfterFirst = false): { input: InputStream; takeBack: () => void } {
  let sent = 0
  let takenBack = false
  let release: (() => void) | undefined
  const refused = () => Object.assign(new Error('taken back'), { code: 'TSGI_INPUT_AFTER_RESPONSE' })
  const next = async (): Promise<IteratorResult<Uint8Array>> => {
    await new Promise((resolve) => setImmediate(resolve))
    // A client that sent one chunk and then nothing: the read waits until the input is taken back.
    if (stallAfterFirst && sent > 0 && !takenBack) await new Promise<void>((resolve) => (release = resolve))
    if (sent >= SIZE) return { done: true, value: undefined }
    if (takenBack) throw refused()
    sent += 4096
    return { done: false, value: new Uint8Array(4096).fill(98) }
  }
  const input: InputStream = {
    read: async () => {
      throw new Error('not used by the bridge')
    },
    readline: async () => {
      throw new Error('not used by the bridge')
    },
    // An async generator, as the server's is: its return() waits behind a pending next().
    [Symbol.asyncIterator]: async function* () {
      for (let step = await next(); !step.done; step = await next()) yield step.value
    },
  }
  return {
    input,
    takeBack: () => {
      takenBack = true
      release?.()
    },
  }
}

/** Sends `body` as the tsgi server does: every chunk, `close()`, then the input is taken back. */
async function serve(body: Body, takeBack: () => void): Promise<void> {
  for await (const _ of body as AsyncIterable<Uint8Array>);
  await body.close?.()
  takeBack()
}

/** Reads `reader` to its end after `after` ms; resolves with the byte count, or the error's code. */
function readOnLater(
  reader: ReadableStreamDefaultReader<Uint8Array>,
  first: number,
  after = 20,
): Promise<unknown> {
  return new Promise((resolve) => {
    setTimeout(async () => {
      let bytes = first
      try {
        for (let step = await reader.read(); !step.done; step = await reader.read())
          bytes += step.value.byteLength
        resolve(bytes)
      } catch (error) {
        resolve((error as { code?: string }).code ?? error)
      }
    }, after)
  })
}

const post = (input: InputStream) =>
  createEnviron({ REQUEST_METHOD: 'POST', CONTENT_LENGTH: String(SIZE), 'tsgi.input': input })

it('ends the response only once a handler reading its upload after answering has read all of it', async () => {
  let read: Promise<unknown> | undefined
  const app = new Hono().post('/', async (c) => {
    const reader = c.req.raw.body!.getReader()
    const first = await reader.read()
    read = readOnLater(reader, first.value?.byteLength ?? 0)
    return c.text('answered first\n')
  })
  const { input, takeBack } = serverInput()
  let headers: HeaderList = []
  const body = await fromHono(app)(post(input), (_status, h) => {
    headers = h
    return async () => {}
  })
  // Sized, as the whole body it is, though not an array, which would end (and close) at once.
  expect(Array.isArray(body)).toBe(false)
  expect(headers.find(([name]) => name.toLowerCase() === 'content-length')?.[1]).toBe('15')
  await serve(body, takeBack)
  expect(await read).toBe(SIZE)
})

it('holds a streamed response back for the upload too', async () => {
  let read: Promise<unknown> | undefined
  const app = fromFetch(async (request) => {
    const reader = request.body!.getReader()
    const first = await reader.read()
    read = readOnLater(reader, first.value?.byteLength ?? 0)
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('answered '))
        setTimeout(() => {
          controller.enqueue(new TextEncoder().encode('first\n'))
          controller.close()
        }, 5)
      },
    })
    return new Response(stream)
  })
  const { input, takeBack } = serverInput()
  await serve(await app(post(input), () => async () => {}), takeBack)
  expect(await read).toBe(SIZE)
})

it('holds a 204 back for the upload too', async () => {
  let read: Promise<unknown> | undefined
  const app = fromFetch(async (request) => {
    const reader = request.body!.getReader()
    const first = await reader.read()
    read = readOnLater(reader, first.value?.byteLength ?? 0)
    return new Response(null, { status: 204 })
  })
  const { input, takeBack } = serverInput()
  await serve(await app(post(input), () => async () => {}), takeBack)
  expect(await read).toBe(SIZE)
})

it('stops holding the response back once the handler stopped reading for a while; its read then fails', async () => {
  let read: Promise<unknown> | undefined
  const app = fromFetch(async (request) => {
    const reader = request.body!.getReader()
    const first = await reader.read()
    read = readOnLater(reader, first.value?.byteLength ?? 0, 3 * LATE_UPLOAD_IDLE_MS)
    return new Response('answered first\n')
  })
  const { input, takeBack } = serverInput()
  const body = await app(post(input), () => async () => {})
  const started = Date.now()
  await serve(body, takeBack)
  const waited = Date.now() - started
  expect(waited).toBeGreaterThanOrEqual(LATE_UPLOAD_IDLE_MS - 10)
  expect(waited).toBeLessThan(3 * LATE_UPLOAD_IDLE_MS)
  expect(await read).toBe('TSGI_INPUT_AFTER_RESPONSE')
})

it('ends the response at once when the handler cancels its upload, even with a read in flight', async () => {
  const app = fromFetch(async (request) => {
    const reader = request.body!.getReader()
    await reader.read()
    // A read in flight, then the cancel: the cancel must not wait for it.
    void reader.read().catch(() => {})
    await new Promise((resolve) => setTimeout(resolve, 10))
    await reader.cancel()
    return new Response('answered first\n')
  })
  const { input, takeBack } = serverInput(true)
  const body = await app(post(input), () => async () => {})
  const started = Date.now()
  await serve(body, takeBack)
  expect(Date.now() - started).toBeLessThan(LATE_UPLOAD_IDLE_MS / 2)
})

it('ends the response at once when a Hono handler read its upload whole through c.env.incoming', async () => {
  const app = new Hono<{ Bindings: { incoming: IncomingMessage } }>().post('/', async (c) => {
    let bytes = 0
    for await (const chunk of c.env.incoming) bytes += (chunk as Buffer).byteLength
    return c.text(`got ${bytes}`)
  })
  const { input, takeBack } = serverInput()
  const body = await fromHono(app)(post(input), () => async () => {})
  const started = Date.now()
  const chunks: Uint8Array[] = []
  for await (const chunk of body as AsyncIterable<Uint8Array>) chunks.push(chunk)
  await body.close?.()
  takeBack()
  expect(new TextDecoder().decode(chunks[0])).toBe(`got ${SIZE}`)
  expect(Date.now() - started).toBeLessThan(LATE_UPLOAD_IDLE_MS / 2)
})

it('sends a complete answer at once, as an array, when the handler read its upload first', async () => {
  const app = fromFetch(async (request) => new Response(`got ${(await request.arrayBuffer()).byteLength}`))
  const { input } = serverInput()
  const body = await app(post(input), () => async () => {})
  expect(Array.isArray(body)).toBe(true)
  expect(new TextDecoder().decode((body as Uint8Array[])[0])).toBe(`got ${SIZE}`)
})

it('waits for a slow client as long as the handler keeps asking for the upload', async () => {
  // The second piece comes after three idle limits: the handler is waiting on it, not idle.
  let sent = 0
  const input: InputStream = {
    read: async () => new Uint8Array(0),
    readline: async () => new Uint8Array(0),
    [Symbol.asyncIterator]: async function* () {
      yield new Uint8Array(10).fill(97)
      sent = 10
      await new Promise((resolve) => setTimeout(resolve, 3 * LATE_UPLOAD_IDLE_MS))
      yield new Uint8Array(10).fill(98)
      sent = 20
    },
  }
  let read: Promise<unknown> | undefined
  const app = fromFetch(async (request) => {
    const reader = request.body!.getReader()
    const first = await reader.read()
    read = readOnLater(reader, first.value?.byteLength ?? 0, 0)
    return new Response('answered first\n')
  })
  const environ = createEnviron({ REQUEST_METHOD: 'POST', CONTENT_LENGTH: '20', 'tsgi.input': input })
  const body = await app(environ, () => async () => {})
  for await (const _ of body as AsyncIterable<Uint8Array>);
  await body.close?.()
  expect(sent).toBe(20)
  expect(await read).toBe(20)
})

it('sends the head of an empty answer at once, though its end waits for the upload', async () => {
  let read: Promise<unknown> | undefined
  const app = fromFetch(async (request) => {
    const reader = request.body!.getReader()
    const first = await reader.read()
    read = readOnLater(reader, first.value?.byteLength ?? 0)
    // An empty 200 (a bodiless 204's head waits with its end: the server would end the exchange).
    return new Response(null)
  })
  const { input, takeBack } = serverInput()
  const writes: number[] = []
  const body = await app(post(input), () => async (chunk) => {
    writes.push(chunk.byteLength)
  })
  // The legacy write of an empty chunk (what flushes the head) came before the body ended.
  expect(writes).toEqual([0])
  await serve(body, takeBack)
  expect(await read).toBe(SIZE)
})
