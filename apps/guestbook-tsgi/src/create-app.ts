import type { App, Body, Environ, StartResponse } from '@tsgi/core'
import { defaultDbPath, Guestbook, type Reply, statusLine } from '@tsgi-apps/guestbook-shared'

/** How to build the app: an open guestbook, or the database file to open one on. */
export interface AppOptions {
  guestbook?: Guestbook
  /** Used when no `guestbook` is given; defaults to `$GUESTBOOK_DB` or `./guestbook.sqlite`. */
  dbPath?: string
}

type Handler = (environ: Environ, params: string[]) => Reply | Promise<Reply> | 'events'

interface Route {
  method: 'GET' | 'POST'
  pattern: RegExp
  handler: Handler
}

const header = (environ: Environ, key: string): string | undefined => environ[key] as string | undefined

function send(reply: Reply, head: boolean, startResponse: StartResponse): Body {
  startResponse(statusLine(reply.status), reply.headers)
  return head || reply.body.byteLength === 0 ? [] : [reply.body]
}

/**
 * The guestbook as a raw TSGI gateway app: a route table over `REQUEST_METHOD` and
 * `PATH_INFO`, no framework; every answer comes from the shared {@link Guestbook}.
 *
 * @example
 * const app = createApp({ dbPath: './guestbook.sqlite' })
 */
export function createApp(options: AppOptions = {}): App {
  const guestbook = options.guestbook ?? new Guestbook({ dbPath: options.dbPath ?? defaultDbPath() })
  const bodyOf = (environ: Environ) => ({
    contentType: environ.CONTENT_TYPE,
    contentLength: environ.CONTENT_LENGTH,
    body: environ['tsgi.input'],
  })
  const routes: Route[] = [
    { method: 'GET', pattern: /^\/$/, handler: (e) => guestbook.page(header(e, 'HTTP_COOKIE')) },
    { method: 'POST', pattern: /^\/entries$/, handler: (e) => guestbook.submitForm(bodyOf(e)) },
    { method: 'GET', pattern: /^\/api\/entries$/, handler: () => guestbook.listEntries() },
    { method: 'POST', pattern: /^\/api\/entries$/, handler: (e) => guestbook.createEntry(bodyOf(e)) },
    {
      method: 'GET',
      pattern: /^\/api\/entries\/([^/]+)$/,
      handler: (_, [id]) => guestbook.showEntry(id ?? ''),
    },
    {
      method: 'GET',
      pattern: /^\/static\/([^/]+)$/,
      handler: (e, [file]) => guestbook.staticFile(file ?? '', header(e, 'HTTP_IF_NONE_MATCH')),
    },
    { method: 'GET', pattern: /^\/events$/, handler: () => 'events' },
  ]

  return async (environ, startResponse) => {
    const head = environ.REQUEST_METHOD === 'HEAD'
    // RFC 9110 §9.3.2: HEAD is GET without the body.
    const method = head ? 'GET' : environ.REQUEST_METHOD
    const path = environ.PATH_INFO || '/'
    for (const route of routes) {
      const match = route.method === method ? route.pattern.exec(path) : null
      if (!match) continue
      const reply = await route.handler(environ, match.slice(1))
      if (reply !== 'events') return send(reply, head, startResponse)
      if (head) return send(guestbook.eventsHead(), head, startResponse)
      const events = guestbook.events(environ['tsgi.signal'], header(environ, 'HTTP_LAST_EVENT_ID'))
      startResponse(statusLine(events.status), events.headers)
      // The server calls close() when the client goes away, as does tsgi.signal.
      return events.stream
    }
    return send(guestbook.notFound(environ.REQUEST_METHOD, path), head, startResponse)
  }
}
