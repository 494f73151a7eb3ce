import { type BodyRequest, defaultDbPath, Guestbook, type Reply } from '@tsgi-apps/guestbook-shared'
import { type Context, Hono } from 'hono'

/** How to build the app: an open guestbook, or the database file to open one on. */
export interface AppOptions {
  guestbook?: Guestbook
  /** Used when no `guestbook` is given; defaults to `$GUESTBOOK_DB` or `./guestbook.sqlite`. */
  dbPath?: string
}

function send(reply: Reply): Response {
  // A Headers built from a list keeps repeated names (each Set-Cookie), unlike a record.
  // An empty body as null: a 304 must have none, and an empty Uint8Array gets a text/plain type.
  const body = reply.body.byteLength === 0 ? null : reply.body
  return new Response(body, { status: reply.status, headers: new Headers(reply.headers) })
}

function bodyOf(c: Context): BodyRequest {
  return {
    contentType: c.req.header('content-type'),
    contentLength: c.req.header('content-length'),
    body: c.req.raw.body,
  }
}

function eventStream(stream: AsyncIterator<Uint8Array> & { close(): void }): ReadableStream<Uint8Array> {
  return new ReadableStream({
    async pull(controller) {
      const { value, done } = await stream.next()
      if (done) controller.close()
      else controller.enqueue(value)
    },
    // The server cancels the body when the client goes away.
    cancel: () => stream.close(),
  })
}

/**
 * The guestbook as a Hono app: routing glue only; every answer comes from the shared
 * {@link Guestbook}.
 *
 * @example
 * const app = createApp({ dbPath: './guestbook.sqlite' })
 */
export function createApp(options: AppOptions = {}): Hono {
  const guestbook = options.guestbook ?? new Guestbook({ dbPath: options.dbPath ?? defaultDbPath() })
  const app = new Hono()
  app.get('/', (c) => send(guestbook.page(c.req.header('cookie'))))
  app.post('/entries', async (c) => send(await guestbook.submitForm(bodyOf(c))))
  app.get('/api/entries', () => send(guestbook.listEntries()))
  app.post('/api/entries', async (c) => send(await guestbook.createEntry(bodyOf(c))))
  app.get('/api/entries/:id', (c) => send(guestbook.showEntry(c.req.param('id'))))
  app.get('/static/:file', (c) =>
    send(guestbook.staticFile(c.req.param('file'), c.req.header('if-none-match'))),
  )
  app.get('/events', (c) => {
    if (c.req.method === 'HEAD') return send(guestbook.eventsHead())
    const { status, headers, stream } = guestbook.events(c.req.raw.signal, c.req.header('last-event-id'))
    return new Response(eventStream(stream), { status, headers: new Headers(headers) })
  })
  app.all('*', (c) => send(guestbook.notFound(c.req.method, c.req.path)))
  return app
}
