import { Readable } from 'node:stream'
import Router from '@koa/router'
import { type BodyRequest, defaultDbPath, Guestbook, type Reply } from '@tsgi-apps/guestbook-shared'
import Koa, { type Context } from 'koa'

/** How to build the app: an open guestbook, or the database file to open one on. */
export interface AppOptions {
  guestbook?: Guestbook
  /** Used when no `guestbook` is given; defaults to `$GUESTBOOK_DB` or `./guestbook.sqlite`. */
  dbPath?: string
}

function send(ctx: Context, reply: Reply): void {
  ctx.status = reply.status
  for (const [name, value] of reply.headers) ctx.append(name, value)
  const { body } = reply
  if (body.byteLength > 0) {
    // A Buffer keeps the Content-Type we set; Koa itself drops the body for HEAD.
    ctx.body = Buffer.from(body.buffer, body.byteOffset, body.byteLength)
  } else {
    // An empty Buffer would be typed application/octet-stream, and a null body turns the
    // status into 204, so: null, then the status again.
    ctx.body = null
    ctx.status = reply.status
  }
}

function bodyOf(ctx: Context): BodyRequest {
  return {
    contentType: ctx.get('content-type') || undefined,
    contentLength: ctx.get('content-length') || undefined,
    body: ctx.req,
  }
}

/**
 * The guestbook as a Koa 3 app with @koa/router: routing glue only; every answer comes from
 * the shared {@link Guestbook}.
 *
 * @example
 * const app = createApp({ dbPath: './guestbook.sqlite' })
 */
export function createApp(options: AppOptions = {}): Koa {
  const guestbook = options.guestbook ?? new Guestbook({ dbPath: options.dbPath ?? defaultDbPath() })
  // Same routing as Express (configured strict, sensitive) and Hono's defaults.
  const router = new Router({ strict: true, sensitive: true })
  router.get('/', (ctx) => send(ctx, guestbook.page(ctx.get('cookie') || undefined)))
  router.post('/entries', async (ctx) => send(ctx, await guestbook.submitForm(bodyOf(ctx))))
  router.get('/api/entries', (ctx) => send(ctx, guestbook.listEntries()))
  router.post('/api/entries', async (ctx) => send(ctx, await guestbook.createEntry(bodyOf(ctx))))
  router.get('/api/entries/:id', (ctx) => send(ctx, guestbook.showEntry(ctx.params.id ?? '')))
  router.get('/static/:file', (ctx) =>
    send(ctx, guestbook.staticFile(ctx.params.file ?? '', ctx.get('if-none-match') || undefined)),
  )
  router.get('/events', (ctx) => {
    if (ctx.method === 'HEAD') return send(ctx, guestbook.eventsHead())
    const gone = new AbortController()
    ctx.res.on('close', () => gone.abort())
    const { status, headers, stream } = guestbook.events(gone.signal, ctx.get('last-event-id') || undefined)
    ctx.status = status
    for (const [name, value] of headers) ctx.append(name, value)
    // Koa destroys a stream body when the response closes, which ends the event stream.
    ctx.body = Readable.from(stream, { objectMode: false })
  })

  const app = new Koa()
  // A client leaving an event stream is routine; anything else goes to Koa's own logger.
  app.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'ERR_STREAM_PREMATURE_CLOSE') app.onerror(error)
  })
  app.use(router.routes())
  app.use((ctx) => send(ctx, guestbook.notFound(ctx.method, ctx.path)))
  return app
}
