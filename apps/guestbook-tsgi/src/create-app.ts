import type { App, Body, Environ, StartResponse } from '@tsgi/core'
import {
  type BodyRequest,
  defaultDbPath,
  Guestbook,
  type Reply,
  statusLine,
} from '@tsgi-apps/guestbook-shared'

/** How to build the app: an open guestbook, or the database file to open one on. */
export interface AppOptions {
  guestbook?: Guestbook
  /** Used when no `guestbook` is given; defaults to `$GUESTBOOK_DB` or `./guestbook.sqlite`. */
  dbPath?: string
}

type Handler = (environ: Environ, startResponse: StartResponse, params: string[]) => Body | Promise<Body>

interface Route {
  method: 'GET' | 'POST'
  pattern: RegExp
  handler: Handler
}

const header = (environ: Environ, key: string): string | undefined => environ[key] as string | undefined

function send(environ: Environ, startResponse: StartResponse, reply: Reply): Body {
  startResponse(statusLine(reply.status), reply.headers)
  // RFC 9110 §9.3.2: HEAD answers with GET's status and headers, without the content.
  return environ.REQUEST_METHOD === 'HEAD' || reply.body.byteLength === 0 ? [] : [reply.body]
}

function replying(make: (environ: Environ, params: string[]) => Reply | Promise<Reply>): Handler {
  return async (environ, startResponse, params) => send(environ, startResponse, await make(environ, params))
}

function bodyOf(environ: Environ): BodyRequest {
  return {
    contentType: environ.CONTENT_TYPE,
    contentLength: environ.CONTENT_LENGTH,
    body: environ['tsgi.input'],
  }
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
  const events: Handler = (environ, startResponse) => {
    if (environ.REQUEST_METHOD === 'HEAD') return send(environ, startResponse, guestbook.eventsHead())
    const { status, headers, stream } = guestbook.events(
      environ['tsgi.signal'],
      header(environ, 'HTTP_LAST_EVENT_ID'),
    )
    startResponse(statusLine(status), headers)
    // The server calls close() when the client goes away, and tsgi.signal aborts: either ends it.
    return stream
  }
  const routes: Route[] = [
    { method: 'GET', pattern: /^\/$/, handler: replying((e) => guestbook.page(header(e, 'HTTP_COOKIE'))) },
    { method: 'POST', pattern: /^\/entries$/, handler: replying((e) => guestbook.submitForm(bodyOf(e))) },
    { method: 'GET', pattern: /^\/api\/entries$/, handler: replying(() => guestbook.listEntries()) },
    {
      method: 'POST',
      pattern: /^\/api\/entries$/,
      handler: replying((e) => guestbook.createEntry(bodyOf(e))),
    },
    {
      method: 'GET',
      pattern: /^\/api\/entries\/([^/]+)$/,
      handler: replying((_, [id]) => guestbook.showEntry(id ?? '')),
    },
    {
      method: 'GET',
      pattern: /^\/static\/([^/]+)$/,
      handler: replying((e, [file]) => guestbook.staticFile(file ?? '', header(e, 'HTTP_IF_NONE_MATCH'))),
    },
    { method: 'GET', pattern: /^\/events$/, handler: events },
  ]

  return (environ, startResponse) => {
    const method = environ.REQUEST_METHOD === 'HEAD' ? 'GET' : environ.REQUEST_METHOD
    const path = environ.PATH_INFO || '/'
    for (const route of routes) {
      const match = route.method === method ? route.pattern.exec(path) : null
      if (match) return route.handler(environ, startResponse, match.slice(1))
    }
    return send(environ, startResponse, guestbook.notFound(environ.REQUEST_METHOD, path))
  }
}
