import type { IncomingMessage } from 'node:http'
import { getConnInfo } from '@hono/node-server/conninfo'
import { earlyHints } from '@hono/node-server/early-hints'
import { Hono } from 'hono'
import { getCookie, setCookie } from 'hono/cookie'
import { streamSSE, streamText } from 'hono/streaming'
import type { ContentfulStatusCode, StatusCode } from 'hono/utils/http-status'
import { ABORT_WAIT_MS, type AppState, LATE_READ_MS } from './app-state.ts'
import {
  BINARY,
  delay,
  digestStream,
  downloadBody,
  EARLY_HINT_LINK,
  STREAM_CHUNKS,
  STREAM_DELAY_MS,
  sortedRecord,
  TEXT,
} from './fixtures.ts'

const OCTETS = { 'Content-Type': 'application/octet-stream' }

async function* emptyBody(): AsyncGenerator<Uint8Array> {}

// One file per framework on purpose: the four apps are one app (same routes, same answers) and
// reading each as a whole route table is how a difference between them gets noticed.
/** The test app for Hono, written as for `@hono/node-server` (streaming helpers, `getConnInfo`). */
export function createHonoApp(state: AppState): Hono {
  const app = new Hono()
  app.all('/echo', async (c) =>
    c.json({
      method: c.req.method,
      url: c.req.url,
      query: c.req.queries(),
      headers: sortedRecord(Object.fromEntries(c.req.raw.headers)),
      body: await c.req.text(),
    }),
  )
  app.all('/p/*', (c) => c.json({ method: c.req.method, url: c.req.url, path: c.req.path }))
  app.get('/text', (c) => c.text(TEXT))
  app.post('/login', async (c) => {
    const form = await c.req.parseBody()
    setCookie(c, 'session', 'abc 123', { httpOnly: true, path: '/' })
    setCookie(c, 'theme', 'dark')
    setCookie(c, 'visit', 'yes', { expires: new Date(Date.UTC(2000, 0, 1)), path: '/' })
    return c.redirect(`/welcome?user=${encodeURIComponent(String(form.user))}`, 303)
  })
  app.get('/welcome', (c) => c.json({ user: c.req.query('user'), cookies: getCookie(c) }))
  app.get('/cookies', (c) => c.json({ header: c.req.header('cookie') ?? null, cookies: getCookie(c) }))
  app.post('/form', async (c) => c.json({ fields: await c.req.parseBody() }))
  app.post('/json', async (c) => {
    let received: unknown
    try {
      received = await c.req.json()
    } catch {
      return c.text('invalid JSON', 400)
    }
    return c.json({ received, type: c.req.header('content-type') })
  })
  app.get('/binary', (c) => c.body(BINARY, 200, OCTETS))
  app.post('/binary', async (c) => c.body(new Uint8Array(await c.req.arrayBuffer()), 200, OCTETS))
  app.get('/download', (c) => c.body(new Uint8Array(downloadBody()), 200, OCTETS))
  app.post('/upload', async (c) => c.json(await digestStream(c.req.raw.body ?? emptyBody())))
  app.post('/upload/refuse', (c) => c.text('upload refused\n', 413))
  // A fetch Request's unread body emits nothing to watch.
  app.post('/upload/ignore', (c) => {
    state.uploads.begin()
    state.uploads.event('not observable', true)
    return c.text('ignored\n')
  })
  app.post('/upload/late', async (c) => {
    const log = state.uploads
    log.begin()
    const reader = c.req.raw.body!.getReader()
    const first = await reader.read()
    log.received(first.value?.byteLength ?? 0)
    setTimeout(async () => {
      try {
        for (let step = await reader.read(); !step.done; step = await reader.read())
          log.received(step.value.byteLength)
        log.event('end', true)
      } catch (error) {
        log.event(`error ${(error as NodeJS.ErrnoException).code ?? (error as Error).name}`, true)
      }
    }, LATE_READ_MS)
    return c.text('answered first\n')
  })
  app.get('/upload/last', async (c) => c.json(await state.uploads.last()))
  app.get('/stream', (c) =>
    streamText(c, async (stream) => {
      for (const [index, chunk] of STREAM_CHUNKS.entries()) {
        if (index > 0) await stream.sleep(STREAM_DELAY_MS)
        await stream.write(chunk)
      }
    }),
  )
  app.get('/sse', (c) =>
    streamSSE(c, async (stream) => {
      for (const id of [1, 2, 3]) {
        if (id > 1) await stream.sleep(STREAM_DELAY_MS)
        await stream.writeSSE({ id: String(id), event: 'tick', data: `tick ${id}` })
      }
    }),
  )
  app.get('/gate/sse', (c) =>
    streamSSE(c, async (stream) => {
      await stream.writeSSE({ id: '1', event: 'tick', data: 'tick 1' })
      await state.gate.wait()
      await stream.writeSSE({ id: '2', event: 'tick', data: 'tick 2' })
    }),
  )
  app.get('/gate/stream', (c) =>
    streamText(c, async (stream) => {
      await stream.write('before the gate\n')
      await state.gate.wait()
      await stream.write('after the gate\n')
    }),
  )
  app.post('/gate/open', (c) => {
    state.gate.open()
    return c.body(null, 204)
  })
  app.get('/status/:code', (c) => {
    const code = Number(c.req.param('code'))
    if (code === 201) c.header('Location', '/created')
    if (code === 204 || code === 304) return c.body(null, code as StatusCode)
    return c.text(`status ${code}\n`, code as ContentfulStatusCode)
  })
  app.get('/latin1', (c) => {
    c.header('X-Latin', 'caf\u00e9')
    return c.text('latin-1 header\n')
  })
  app.get('/throw', () => {
    throw new Error('sync boom')
  })
  app.get('/reject', async () => {
    await delay(1)
    throw new Error('async boom')
  })
  app.get('/conn', (c) => {
    const { remote } = getConnInfo(c)
    // What @hono/node-server apps reach for beyond getConnInfo: the node socket in c.env.incoming.
    const socket = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming?.socket
    return c.json({
      ip: remote.address,
      remoteAddress: remote.address,
      remotePort: remote.port,
      localAddress: socket?.localAddress,
      localPort: socket?.localPort,
    })
  })
  app.get('/abort/wait', (c) => {
    let timer: NodeJS.Timeout | undefined
    const aborted = (): void => {
      clearTimeout(timer)
      state.aborts.record()
    }
    c.req.raw.signal.addEventListener('abort', aborted, { once: true })
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('waiting\n'))
        timer = setTimeout(() => {
          controller.enqueue(new TextEncoder().encode('nobody left\n'))
          controller.close()
        }, ABORT_WAIT_MS)
      },
      cancel: aborted,
    })
    return c.body(body, 200, { 'Content-Type': 'text/plain; charset=UTF-8' })
  })
  app.get('/info', (c) => {
    const url = new URL(c.req.url)
    return c.json({ ip: getConnInfo(c).remote.address, protocol: url.protocol, hostname: url.hostname })
  })
  app.get('/stream/fail', (c) =>
    streamText(c, async (stream) => {
      await stream.write('partial\n')
      await stream.sleep(STREAM_DELAY_MS)
      throw new Error('mid-stream boom')
    }),
  )
  app.get('/repeat', (c) => {
    c.header('X-Repeat', 'one', { append: true })
    c.header('X-Repeat', 'two', { append: true })
    c.header('Link', '</a>; rel=next', { append: true })
    c.header('Link', '</b>; rel=prev', { append: true })
    return c.text('repeated\n')
  })
  // Hono has no flushHeaders: a stream's head goes out before its first chunk; a 204 comes late.
  app.get('/flushed', (c) => {
    c.header('X-Flushed', 'yes')
    return streamText(c, async (text) => {
      await delay(STREAM_DELAY_MS)
      await text.write('late\n')
    })
  })
  app.get('/flushed-204', async (c) => {
    await delay(STREAM_DELAY_MS)
    c.header('X-Flushed', 'yes')
    return c.body(null, 204)
  })
  app.get('/conn-close', (c) => {
    c.header('Connection', 'close')
    return c.text('bye\n')
  })
  app.get('/empty', (c) => c.body(null, 200))
  app.get('/hints', earlyHints({ link: EARLY_HINT_LINK }), (c) => c.text('hinted\n'))
  app.get('/abort/heartbeat', (c) => {
    let beat: NodeJS.Timeout | undefined
    let stop: NodeJS.Timeout | undefined
    const aborted = (): void => {
      clearInterval(beat)
      clearTimeout(stop)
      state.aborts.record()
    }
    c.req.raw.signal.addEventListener('abort', aborted, { once: true })
    const text = new TextEncoder()
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(text.encode('waiting\n'))
        beat = setInterval(() => controller.enqueue(text.encode('.\n')), STREAM_DELAY_MS)
        stop = setTimeout(() => {
          clearInterval(beat)
          controller.enqueue(text.encode('nobody left\n'))
          controller.close()
        }, ABORT_WAIT_MS)
      },
      cancel: aborted,
    })
    return c.body(body, 200, { 'Content-Type': 'text/plain; charset=UTF-8' })
  })
  app.get('/abort/last', async (c) => c.json({ aborted: await state.aborts.last() }))
  return app
}
