import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { type BodyRequest, defaultDbPath, Guestbook, type Reply } from '@tsgi-apps/guestbook-shared'
import express, { type Express, type Request, type Response } from 'express'

/** How to build the app: an open guestbook, or the database file to open one on. */
export interface AppOptions {
  guestbook?: Guestbook
  /** Used when no `guestbook` is given; defaults to `$GUESTBOOK_DB` or `./guestbook.sqlite`. */
  dbPath?: string
}

function send(res: Response, reply: Reply): void {
  res.status(reply.status)
  for (const [name, value] of reply.headers) res.append(name, value)
  // res.end, not res.send: send() would rewrite Content-Type and add an ETag.
  res.end(reply.body)
}

function bodyOf(req: Request): BodyRequest {
  return { contentType: req.get('content-type'), contentLength: req.get('content-length'), body: req }
}

/**
 * The guestbook as an Express 5 app: routing glue only; every answer comes from the shared
 * {@link Guestbook}.
 *
 * @example
 * const app = createApp({ dbPath: './guestbook.sqlite' })
 */
export function createApp(options: AppOptions = {}): Express {
  const guestbook = options.guestbook ?? new Guestbook({ dbPath: options.dbPath ?? defaultDbPath() })
  const app = express()
  app.disable('x-powered-by')
  app.set('etag', false)
  // Same routing as koa-router (strict, sensitive) and Hono's defaults: /API/entries/ is a 404.
  app.set('strict routing', true)
  app.set('case sensitive routing', true)

  app.get('/', (req, res) => send(res, guestbook.page(req.get('cookie'))))
  app.post('/entries', async (req, res) => send(res, await guestbook.submitForm(bodyOf(req))))
  app.get('/api/entries', (_req, res) => send(res, guestbook.listEntries()))
  app.post('/api/entries', async (req, res) => send(res, await guestbook.createEntry(bodyOf(req))))
  app.get('/api/entries/:id', (req, res) => send(res, guestbook.showEntry(req.params.id)))
  app.get('/static/:file', (req, res) =>
    send(res, guestbook.staticFile(req.params.file, req.get('if-none-match'))),
  )
  app.get('/events', async (req, res) => {
    if (req.method === 'HEAD') return send(res, guestbook.eventsHead())
    const gone = new AbortController()
    res.on('close', () => gone.abort())
    const { status, headers, stream } = guestbook.events(gone.signal, req.get('last-event-id'))
    res.status(status)
    for (const [name, value] of headers) res.append(name, value)
    // pipeline destroys the source when the client goes away, which ends the stream.
    await pipeline(Readable.from(stream, { objectMode: false }), res).catch(() => stream.close())
  })
  app.use((req, res) => send(res, guestbook.notFound(req.method, req.path)))
  return app
}
