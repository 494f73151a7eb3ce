import { once } from 'node:events'
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Socket } from 'node:net'
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { type App, type Body, createEnviron } from '@tsgi/core'
import express from 'express'
import { expect, it } from 'vitest'
import { fromExpress, fromNodeHandler } from '../../src/index.ts'

const pendingImmediates = () => process.getActiveResourcesInfo().filter((kind) => kind === 'Immediate').length

// A server handles every ready connection in one event-loop turn. Anything pending until the
// turn ends that holds a finished exchange keeps its request, and what the app hung on it (a
// parsed 64 KiB upload), alive through all the others: under load that filled the heap and
// tripled GC time (docs/benchmarks.md). The bridge's disconnect watch starts from an immediate,
// so a finished exchange must leave none behind.
it('leaves no immediate holding an exchange once its response finished', async () => {
  const app = express()
  app.get('/', async (_req, res) => {
    // Answered after the handler returned: the bridge then schedules its disconnect watch. Not
    // sized, so the response finishes only as the server takes it.
    await Promise.resolve()
    res.write('do')
    res.end('ne')
  })
  const before = pendingImmediates()
  const body: Body = await fromExpress(app)(createEnviron(), () => async () => {})
  expect(pendingImmediates()).toBe(before + 1)
  if (Array.isArray(body)) (body as Body).close?.()
  else for await (const _ of body as AsyncIterable<Uint8Array>);
  expect(pendingImmediates()).toBe(before)
})

/** A full garbage collection, without starting node with --expose-gc. */
function collectGarbage(): void {
  setFlagsFromString('--expose-gc')
  ;(runInNewContext('gc') as () => void)()
}

/** One POST through `app`, its body read and closed; returns nothing that could hold the exchange. */
async function exchangeOnce(app: App): Promise<void> {
  const environ = createEnviron({ REQUEST_METHOD: 'POST', CONTENT_TYPE: 'application/json', body: '{"a":1}' })
  const body = await app(environ, () => async () => {})
  for await (const _ of body as AsyncIterable<Uint8Array>);
  await body.close?.()
  // 'finish' comes once the server acknowledged the last write, a tick after the close.
  await new Promise((resolve) => setImmediate(resolve))
}

// Apps keep `req.socket` past the response (loggers, connection pools of their own), and V8 may
// keep a socket it cannot reach for a while too: on Node 24 every `Writable` outlives its first
// scavenge. A socket still holding its exchange kept the request, and what the app hung on it
// (a parsed upload on `req.body`), copied and promoted with it (docs/benchmarks.md, "Objects
// that outlive a scavenge"): it holds nothing of the request once the exchange is over.
it('lets go of the request once the exchange is over, though the socket is kept', async () => {
  let socket: Socket | undefined
  let request: WeakRef<IncomingMessage> | undefined
  const app = express()
  app.post('/', express.json(), (req, res) => {
    socket = req.socket
    request = new WeakRef(req)
    res.json({ got: req.body })
  })
  await exchangeOnce(fromExpress(app))
  collectGarbage()
  expect(socket).toBeDefined()
  expect(socket?.destroyed).toBe(false)
  expect(request?.deref()).toBeUndefined()
})

it('treats a kept socket as node:http does one with no request: an unheard timeout or an error ends it', async () => {
  const kept: Socket[] = []
  const app = fromNodeHandler((req, res) => {
    kept.push(req.socket)
    res.end('ok')
  })
  await exchangeOnce(app)
  await exchangeOnce(app)
  const [timedOut, failed] = kept as [Socket, Socket]
  expect(timedOut.write('late bytes')).toBe(true)
  timedOut.setTimeout(5)
  await once(timedOut, 'close')
  expect(timedOut.destroyed).toBe(true)
  const boom = new Error('boom')
  failed.emit('error', boom)
  expect(failed.destroyed).toBe(true)
  expect(failed.errored).toBe(boom)
})

/** Whether `req` can be collected, once the exchange is over, while the app still holds its socket. */
async function requestCollectable(
  handler: (req: IncomingMessage, res: ServerResponse) => void,
  drive: (body: Promise<Body>, abort: AbortController) => Promise<void>,
): Promise<boolean> {
  let socket: Socket | undefined
  let request: WeakRef<IncomingMessage> | undefined
  const app = fromNodeHandler((req, res) => {
    socket = req.socket
    request = new WeakRef(req)
    handler(req, res)
  })
  await (async () => {
    const abort = new AbortController()
    await drive(
      Promise.resolve(app(createEnviron({ 'tsgi.signal': abort.signal }), () => async () => {})),
      abort,
    )
  })()
  // The socket's 'close' comes an immediate after its destroy; node's listeners a tick later.
  await new Promise((resolve) => setTimeout(resolve, 10))
  collectGarbage()
  expect(socket).toBeDefined()
  return request?.deref() === undefined
}

const streamFirstChunk = (_req: IncomingMessage, res: ServerResponse): void => {
  res.writeHead(200, { 'Content-Type': 'text/plain' })
  res.write('first')
}

it('lets go of the request when the client leaves mid-response, though the socket is kept', async () => {
  const collectable = await requestCollectable(streamFirstChunk, async (call, abort) => {
    const body = (await call) as AsyncIterableIterator<Uint8Array> & { close?(): unknown }
    await body.next()
    abort.abort()
    await body.close?.()
  })
  expect(collectable).toBe(true)
})

it('lets go of the request when the server stops reading the response early, though the socket is kept', async () => {
  const collectable = await requestCollectable(streamFirstChunk, async (call) => {
    const body = (await call) as AsyncIterableIterator<Uint8Array> & { close?(): unknown }
    await body.next()
    await body.close?.()
  })
  expect(collectable).toBe(true)
})

it.each([
  [
    'the handler throws',
    () => {
      throw new Error('boom')
    },
  ],
  ['the app destroys the socket', (req: IncomingMessage) => req.socket.destroy()],
])(
  'lets go of the request when the call fails before a head (%s), though the socket is kept',
  async (_name, handler) => {
    let rejected = false
    const collectable = await requestCollectable(handler, async (call) => {
      // Not `expect(call).rejects`: the assertion would keep the error, whose stack, until it is
      // formatted, holds the receivers of its frames, the exchange among them.
      await call.then(
        () => {},
        () => {
          rejected = true
        },
      )
    })
    expect(rejected).toBe(true)
    expect(collectable).toBe(true)
  },
)
