import type createExpress from 'express'
import type { ErrorRequestHandler, Express, NextFunction, Request, RequestHandler, Response } from 'express'
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

// One file per framework on purpose: the four apps are one app (same routes, same answers) and
// reading each as a whole route table is how a difference between them gets noticed.
/** The test app for Express 4 and 5 (same routes; only error propagation from promises differs). */
export function createExpressApp(express: typeof createExpress, state: AppState): Express {
  const app = express()
  // 'test' keeps finalhandler from logging errors; the stacks it then shows are scrubbed below.
  app.set('env', 'test')
  // Express 4 ignores rejected promises; route them to next() the way Express 4 apps must.
  const route =
    (handler: (req: Request, res: Response) => Promise<unknown>): RequestHandler =>
    (req, res, next: NextFunction) => {
      handler(req, res).catch(next)
    }

  app.all(
    '/echo',
    route(async (req, res) => {
      const body = await readBody(req)
      res.json({
        method: req.method,
        url: req.originalUrl,
        query: req.query,
        headers: sortedRecord(req.headers),
        body: body.toString('utf8'),
      })
    }),
  )
  app.use('/p', (req, res) => {
    res.json({ method: req.method, originalUrl: req.originalUrl, url: req.url, path: req.path })
  })
  app.get('/text', (_req, res) => {
    res.type('text/plain').send(TEXT)
  })
  app.post('/login', express.urlencoded({ extended: false }), (req, res) => {
    res.cookie('session', 'abc 123', { httpOnly: true, path: '/' })
    res.cookie('theme', 'dark')
    res.cookie('visit', 'yes', { expires: new Date(Date.UTC(2000, 0, 1)), path: '/' })
    res.redirect(303, `/welcome?user=${encodeURIComponent(String(req.body.user))}`)
  })
  app.get('/welcome', (req, res) => {
    res.json({ user: req.query.user, cookies: parseCookies(req.headers.cookie) })
  })
  app.get('/cookies', (req, res) => {
    res.json({ header: req.headers.cookie ?? null, cookies: parseCookies(req.headers.cookie) })
  })
  app.post('/form', express.urlencoded({ extended: false }), (req, res) => {
    res.json({ fields: req.body ?? null })
  })
  app.post('/json', express.json(), (req, res) => {
    res.json({ received: req.body, type: req.get('content-type') })
  })
  app.get('/binary', (_req, res) => {
    res.type('application/octet-stream').send(Buffer.from(BINARY))
  })
  app.post(
    '/binary',
    route(async (req, res) => {
      res.type('application/octet-stream').send(await readBody(req))
    }),
  )
  app.get('/download', (_req, res) => {
    res.type('application/octet-stream').send(Buffer.from(downloadBody()))
  })
  app.post(
    '/upload',
    route(async (req, res) => {
      res.json(await digestStream(req))
    }),
  )
  app.post('/upload/refuse', (_req, res) => {
    res.status(413).type('text/plain').send('upload refused\n')
  })
  app.post('/upload/ignore', (req, res) => {
    watchUpload(req, state.uploads)
    res.type('text/plain').send('ignored\n')
  })
  app.post('/upload/late', (req, res) => {
    answerThenRead(req, state.uploads, () => res.type('text/plain').send('answered first\n'))
  })
  app.get(
    '/upload/last',
    route(async (_req, res) => {
      res.json(await state.uploads.last())
    }),
  )
  app.get(
    '/stream',
    route(async (_req, res) => {
      res.type('text/plain')
      for (const chunk of STREAM_CHUNKS) {
        res.write(chunk)
        await delay(STREAM_DELAY_MS)
      }
      res.end()
    }),
  )
  app.get(
    '/sse',
    route(async (_req, res) => {
      res.set({ 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache' })
      res.flushHeaders()
      for (const event of SSE_EVENTS) {
        res.write(event)
        await delay(STREAM_DELAY_MS)
      }
      res.end()
    }),
  )
  app.get(
    '/gate/:kind',
    route(async (req, res) => {
      const sse = req.params.kind === 'sse'
      res.type(sse ? 'text/event-stream' : 'text/plain')
      res.write(sse ? SSE_EVENTS[0] : 'before the gate\n')
      await state.gate.wait()
      res.end(sse ? SSE_EVENTS[1] : 'after the gate\n')
    }),
  )
  app.post('/gate/open', (_req, res) => {
    state.gate.open()
    res.status(204).end()
  })
  app.get('/status/:code', (req, res) => {
    const code = Number(req.params.code)
    if (code === 201) res.location('/created')
    res.status(code)
    if (code === 204 || code === 304) res.end()
    else res.type('text/plain').send(`status ${code}\n`)
  })
  app.get('/latin1', (_req, res) => {
    res.set('X-Latin', 'caf\u00e9').type('text/plain').send('latin-1 header\n')
  })
  app.get('/throw', () => {
    throw new Error('sync boom')
  })
  app.get(
    '/reject',
    route(async () => {
      await delay(1)
      throw new Error('async boom')
    }),
  )
  app.get('/conn', (req, res) => {
    const { remoteAddress, remotePort, localAddress, localPort } = req.socket
    res.json({ ip: req.ip, remoteAddress, remotePort, localAddress, localPort })
  })
  app.get('/abort/wait', (_req, res) => {
    res.type('text/plain').write('waiting\n')
    const timer = setTimeout(() => res.end('nobody left\n'), ABORT_WAIT_MS)
    res.on('close', () => {
      clearTimeout(timer)
      if (!res.writableFinished) state.aborts.record()
    })
  })
  app.get('/abort/heartbeat', (_req, res) => {
    res.type('text/plain').write('waiting\n')
    const beat = setInterval(() => res.write('.\n'), STREAM_DELAY_MS)
    const stop = setTimeout(() => res.end('nobody left\n'), ABORT_WAIT_MS)
    res.on('close', () => {
      clearInterval(beat)
      clearTimeout(stop)
      if (!res.writableFinished) state.aborts.record()
    })
  })
  app.get(
    '/abort/last',
    route(async (_req, res) => {
      res.json({ aborted: await state.aborts.last() })
    }),
  )
  app.get('/info', (req, res) => {
    res.json({ ip: req.ip, ips: req.ips, protocol: req.protocol, secure: req.secure, hostname: req.hostname })
  })
  // DESIGN: an adapter that assigns req.ip hides Express's getter and breaks `trust proxy`.
  const trusted = express()
  trusted.set('trust proxy', 'loopback')
  trusted.get('/', (req, res) => {
    res.json({ ip: req.ip, ips: req.ips, protocol: req.protocol, secure: req.secure, hostname: req.hostname })
  })
  app.use('/trusted', trusted)
  app.get(
    '/stream/fail',
    route(async (_req, res) => {
      res.type('text/plain').write('partial\n')
      await delay(STREAM_DELAY_MS)
      throw new Error('mid-stream boom')
    }),
  )
  app.get('/repeat', (_req, res) => {
    res
      .append('X-Repeat', 'one')
      .append('X-Repeat', 'two')
      .append('Link', '</a>; rel=next')
      .append('Link', '</b>; rel=prev')
    res.type('text/plain').send('repeated\n')
  })
  // The head first (flushHeaders), the end later: a HEAD or a 204 is whole once its head is out,
  // while the app's response is still open.
  const flushed =
    (code: number): RequestHandler =>
    (_req, res) => {
      res.status(code).set('X-Flushed', 'yes')
      res.flushHeaders()
      setTimeout(() => res.end('late\n'), STREAM_DELAY_MS)
    }
  app.get('/flushed', flushed(200))
  app.get('/flushed-204', flushed(204))
  app.get('/conn-close', (_req, res) => {
    res.set('Connection', 'close').type('text/plain').send('bye\n')
  })
  app.get('/empty', (_req, res) => {
    res.status(200).end()
  })
  app.get('/hints', (_req, res) => {
    res.writeEarlyHints({ link: EARLY_HINT_LINK })
    res.type('text/plain').send('hinted\n')
  })
  app.use(scrubStack)
  return app
}

// Outside production the final handler prints err.stack, whose frames differ by transport and
// machine; keep the framework's own error page (status, headers, markup) with a stable text.
const scrubStack: ErrorRequestHandler = (error, _req, _res, next) => {
  if (error instanceof Error) error.stack = `${error.name}: ${error.message}`
  next(error)
}
