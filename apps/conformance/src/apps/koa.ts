import { PassThrough, Readable } from 'node:stream'
import type Koa from 'koa'
import { ABORT_WAIT_MS, type AppState } from './app-state.ts'
import {
  BINARY,
  delay,
  digestStream,
  downloadBody,
  EARLY_HINT_LINK,
  parseCookies,
  readBody,
  SSE_EVENTS,
  STREAM_CHUNKS,
  STREAM_DELAY_MS,
  sortedRecord,
  TEXT,
} from './fixtures.ts'
import { answerThenRead, watchUpload } from './node-upload.ts'

type Handler = (ctx: Koa.Context, state: AppState) => void | Promise<void>

// One file per framework on purpose: the four apps are one app (same routes, same answers) and
// reading each as a whole route table is how a difference between them gets noticed.
/** The test app for Koa 2 and 3: plain middleware, a route table, and Koa's own 404 and 500. */
export function createKoaApp(KoaClass: typeof Koa, state: AppState): Koa {
  const app = new KoaClass()
  // Koa logs every 500 to stderr unless silent; the response is what the suite compares.
  app.silent = true
  app.use(async (ctx, next) => {
    // RFC 9110 §9.3.2: HEAD is GET without the body (Koa drops the body itself), as @koa/router routes it.
    const method = ctx.method === 'HEAD' ? 'GET' : ctx.method
    const handler = routes[`${method} ${ctx.path}`] ?? prefixRoute(ctx)
    if (handler) await handler(ctx, state)
    else await next()
  })
  return app
}

function prefixRoute(ctx: Koa.Context): Handler | undefined {
  if (ctx.path === '/echo') return echo
  if (ctx.path.startsWith('/p/')) return pathEcho
  if (ctx.method !== 'POST' && ctx.path.startsWith('/status/')) return status
  if (ctx.method !== 'POST' && ctx.path.startsWith('/gate/')) return gated
  return undefined
}

const echo: Handler = async (ctx) => {
  const body = await readBody(ctx.req)
  ctx.body = {
    method: ctx.method,
    url: ctx.originalUrl,
    query: ctx.query,
    headers: sortedRecord(ctx.headers),
    body: body.toString('utf8'),
  }
}

const pathEcho: Handler = (ctx) => {
  ctx.body = { method: ctx.method, originalUrl: ctx.originalUrl, path: ctx.path }
}

/** The head first (flushHeaders), the body later: a HEAD or a 204 is whole once its head is out. */
async function flushed(ctx: Koa.Context, code: number): Promise<void> {
  ctx.status = code
  ctx.set('X-Flushed', 'yes')
  ctx.flushHeaders()
  await delay(STREAM_DELAY_MS)
  ctx.body = 'late\n'
}

const status: Handler = (ctx) => {
  const code = Number(ctx.path.slice('/status/'.length))
  ctx.status = code
  if (code === 201) ctx.set('Location', '/created')
  if (code !== 204 && code !== 304) {
    ctx.type = 'text/plain'
    ctx.body = `status ${code}\n`
  }
}

const gated: Handler = (ctx, state) => {
  const sse = ctx.path === '/gate/sse'
  ctx.type = sse ? 'text/event-stream' : 'text/plain'
  ctx.body = Readable.from(
    (async function* () {
      yield Buffer.from(sse ? SSE_EVENTS[0]! : 'before the gate\n')
      await state.gate.wait()
      yield Buffer.from(sse ? SSE_EVENTS[1]! : 'after the gate\n')
    })(),
  )
}

const formFields = async (ctx: Koa.Context): Promise<Record<string, string>> =>
  Object.fromEntries(new URLSearchParams((await readBody(ctx.req)).toString('utf8')))

const routes: Record<string, Handler> = {
  'GET /text': (ctx) => {
    ctx.type = 'text/plain'
    ctx.body = TEXT
  },
  'POST /login': async (ctx) => {
    const fields = await formFields(ctx)
    ctx.cookies.set('session', 'abc 123', { httpOnly: true, path: '/' })
    ctx.cookies.set('theme', 'dark')
    ctx.cookies.set('visit', 'yes', { expires: new Date(Date.UTC(2000, 0, 1)), path: '/' })
    ctx.status = 303
    ctx.redirect(`/welcome?user=${encodeURIComponent(fields.user ?? '')}`)
  },
  'GET /welcome': (ctx) => {
    ctx.body = { user: ctx.query.user, cookies: parseCookies(ctx.headers.cookie) }
  },
  'GET /cookies': (ctx) => {
    ctx.body = { header: ctx.headers.cookie ?? null, cookies: parseCookies(ctx.headers.cookie) }
  },
  'POST /form': async (ctx) => {
    ctx.body = { fields: await formFields(ctx) }
  },
  'POST /json': async (ctx) => {
    const text = (await readBody(ctx.req)).toString('utf8')
    let received: unknown
    try {
      received = JSON.parse(text)
    } catch {
      ctx.throw(400, 'invalid JSON')
    }
    ctx.body = { received, type: ctx.get('Content-Type') }
  },
  'GET /binary': (ctx) => {
    ctx.type = 'application/octet-stream'
    ctx.body = Buffer.from(BINARY)
  },
  'POST /binary': async (ctx) => {
    ctx.type = 'application/octet-stream'
    ctx.body = await readBody(ctx.req)
  },
  'GET /download': (ctx) => {
    ctx.type = 'application/octet-stream'
    ctx.body = Buffer.from(downloadBody())
  },
  'POST /upload': async (ctx) => {
    ctx.body = await digestStream(ctx.req)
  },
  'POST /upload/refuse': (ctx) => {
    ctx.status = 413
    ctx.type = 'text/plain'
    ctx.body = 'upload refused\n'
  },
  'POST /upload/ignore': (ctx, state) => {
    watchUpload(ctx.req, state.uploads)
    ctx.type = 'text/plain'
    ctx.body = 'ignored\n'
  },
  'POST /upload/late': async (ctx, state) => {
    await new Promise<void>((resolve) => answerThenRead(ctx.req, state.uploads, resolve))
    ctx.type = 'text/plain'
    ctx.body = 'answered first\n'
  },
  'GET /upload/last': async (ctx, state) => {
    ctx.body = await state.uploads.last()
  },
  'GET /stream': (ctx) => {
    ctx.type = 'text/plain'
    ctx.body = Readable.from(paced(STREAM_CHUNKS))
  },
  'GET /sse': (ctx) => {
    ctx.set({ 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache' })
    ctx.body = Readable.from(paced(SSE_EVENTS))
  },
  'POST /gate/open': (ctx, state) => {
    state.gate.open()
    ctx.status = 204
  },
  'GET /latin1': (ctx) => {
    ctx.set('X-Latin', 'caf\u00e9')
    ctx.type = 'text/plain'
    ctx.body = 'latin-1 header\n'
  },
  'GET /throw': () => {
    throw new Error('sync boom')
  },
  'GET /reject': async () => {
    await delay(1)
    throw new Error('async boom')
  },
  'GET /conn': (ctx) => {
    const { remoteAddress, remotePort, localAddress, localPort } = ctx.req.socket
    ctx.body = { ip: ctx.ip, remoteAddress, remotePort, localAddress, localPort }
  },
  'GET /abort/wait': (ctx, state) => {
    const body = new PassThrough()
    body.write('waiting\n')
    const timer = setTimeout(() => body.end('nobody left\n'), ABORT_WAIT_MS)
    ctx.res.on('close', () => {
      clearTimeout(timer)
      if (!ctx.res.writableFinished) state.aborts.record()
    })
    ctx.type = 'text/plain'
    ctx.body = body
  },
  'GET /info': (ctx) => {
    ctx.body = {
      ip: ctx.ip,
      ips: ctx.ips,
      protocol: ctx.protocol,
      secure: ctx.secure,
      hostname: ctx.hostname,
    }
  },
  'GET /stream/fail': (ctx) => {
    ctx.type = 'text/plain'
    ctx.body = Readable.from(
      (async function* () {
        yield Buffer.from('partial\n')
        await delay(STREAM_DELAY_MS)
        throw new Error('mid-stream boom')
      })(),
    )
  },
  'GET /repeat': (ctx) => {
    ctx.append('X-Repeat', 'one')
    ctx.append('X-Repeat', 'two')
    ctx.append('Link', '</a>; rel=next')
    ctx.append('Link', '</b>; rel=prev')
    ctx.type = 'text/plain'
    ctx.body = 'repeated\n'
  },
  'GET /flushed': (ctx) => flushed(ctx, 200),
  'GET /flushed-204': (ctx) => flushed(ctx, 204),
  'GET /conn-close': (ctx) => {
    ctx.set('Connection', 'close')
    ctx.type = 'text/plain'
    ctx.body = 'bye\n'
  },
  'GET /empty': (ctx) => {
    ctx.status = 200
    ctx.body = ''
  },
  'GET /hints': (ctx) => {
    ctx.res.writeEarlyHints({ link: EARLY_HINT_LINK })
    ctx.type = 'text/plain'
    ctx.body = 'hinted\n'
  },
  'GET /abort/heartbeat': (ctx, state) => {
    const body = new PassThrough()
    body.write('waiting\n')
    const beat = setInterval(() => body.write('.\n'), STREAM_DELAY_MS)
    const stop = setTimeout(() => body.end('nobody left\n'), ABORT_WAIT_MS)
    ctx.res.on('close', () => {
      clearInterval(beat)
      clearTimeout(stop)
      if (!ctx.res.writableFinished) state.aborts.record()
    })
    ctx.type = 'text/plain'
    ctx.body = body
  },
  'GET /abort/last': async (ctx, state) => {
    ctx.body = { aborted: await state.aborts.last() }
  },
}

async function* paced(chunks: string[]): AsyncGenerator<Buffer> {
  for (const [index, chunk] of chunks.entries()) {
    if (index > 0) await delay(STREAM_DELAY_MS)
    yield Buffer.from(chunk)
  }
}
