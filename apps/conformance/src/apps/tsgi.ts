import { STATUS_CODES } from 'node:http'
import type { App, Body, Environ, HeaderList, StartResponse } from '@tsgi/core'
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
  TEXT,
} from './fixtures.ts'

type Route = (environ: Environ, start: StartResponse, state: AppState) => Body | Promise<Body>

const TEXT_PLAIN: HeaderList = [['Content-Type', 'text/plain; charset=utf-8']]
const OCTETS: HeaderList = [['Content-Type', 'application/octet-stream']]

// One file per framework on purpose: the four apps are one app (same routes, same answers) and
// reading each as a whole route table is how a difference between them gets noticed.
/** The test app written directly against the gateway interface: no framework in between. */
export function createTsgiApp(state: AppState): App {
  return (environ, start) => {
    const path = environ.PATH_INFO
    const head = environ.REQUEST_METHOD === 'HEAD'
    const route =
      routes[`${head ? 'GET' : environ.REQUEST_METHOD} ${path}`] ??
      (path === '/echo' ? echo : undefined) ??
      (path.startsWith('/p/') ? pathEcho : undefined) ??
      (path.startsWith('/status/') ? status : undefined) ??
      (path.startsWith('/gate/') && environ.REQUEST_METHOD !== 'POST' ? gated : undefined)
    if (!route) return send(start, 404, TEXT_PLAIN, 'not found\n')
    return head ? withoutBody(route(environ, start, state)) : route(environ, start, state)
  }
}

/** Rack::Lint and validate(): a HEAD response body is empty; the GET headers (length included) stay. */
async function withoutBody(pending: Body | Promise<Body>): Promise<Body> {
  const body = await pending
  await (body as Partial<AsyncGenerator<Uint8Array>>).return?.(undefined)
  await body.close?.()
  return []
}

/** One whole response: status line from the code, `Content-Length` from the bytes. */
function send(start: StartResponse, code: number, headers: HeaderList, body: string | Uint8Array): Body {
  const bytes = typeof body === 'string' ? Buffer.from(body) : body
  start(`${code} ${STATUS_CODES[code]}`, [...headers, ['Content-Length', String(bytes.byteLength)]])
  return [bytes]
}

/** The head first (an empty write flushes it), the body later: a HEAD or a 204 is whole once its head is out. */
function flushed(start: StartResponse, code: number): Body {
  const write = start(`${code} ${STATUS_CODES[code]}`, [['X-Flushed', 'yes']])
  void write(new Uint8Array(0))
  return (async function* late(): AsyncGenerator<Uint8Array> {
    await delay(STREAM_DELAY_MS)
    if (code !== 204) yield Buffer.from('late\n')
  })()
}

function json(start: StartResponse, value: unknown, code = 200): Body {
  return send(start, code, [['Content-Type', 'application/json']], JSON.stringify(value))
}

/** `HTTP_X_MULTI` -> `x-multi`: the header record a framework would show. */
function headerRecord(environ: Environ): Record<string, string> {
  const headers: Record<string, string> = {}
  for (const key of Object.keys(environ).sort()) {
    const name = key.startsWith('HTTP_')
      ? key.slice(5)
      : /^CONTENT_(TYPE|LENGTH)$/.test(key)
        ? key
        : undefined
    if (name !== undefined) headers[name.toLowerCase().replaceAll('_', '-')] = String(environ[key])
  }
  return headers
}

const echo: Route = async (environ, start) =>
  json(start, {
    method: environ.REQUEST_METHOD,
    url: environ.RAW_URI,
    query: [...new URLSearchParams(environ.QUERY_STRING)],
    headers: headerRecord(environ),
    body: (await readBody(environ['tsgi.input'])).toString('utf8'),
  })

const pathEcho: Route = (environ, start) =>
  json(start, { method: environ.REQUEST_METHOD, rawUri: environ.RAW_URI, pathInfo: environ.PATH_INFO })

const status: Route = (environ, start) => {
  const code = Number(environ.PATH_INFO.slice('/status/'.length))
  const headers: HeaderList = code === 201 ? [['Location', '/created']] : []
  if (code === 204 || code === 304) {
    start(`${code} ${STATUS_CODES[code]}`, headers)
    return []
  }
  return send(start, code, [...headers, ...TEXT_PLAIN], `status ${code}\n`)
}

const gated: Route = (environ, start, state) => {
  const sse = environ.PATH_INFO === '/gate/sse'
  start('200 OK', [['Content-Type', sse ? 'text/event-stream' : 'text/plain; charset=utf-8']])
  return (async function* () {
    yield Buffer.from(sse ? SSE_EVENTS[0]! : 'before the gate\n')
    await state.gate.wait()
    yield Buffer.from(sse ? SSE_EVENTS[1]! : 'after the gate\n')
  })()
}

const form = async (environ: Environ): Promise<Record<string, string>> =>
  Object.fromEntries(new URLSearchParams((await readBody(environ['tsgi.input'])).toString('utf8')))

const routes: Record<string, Route> = {
  'GET /text': (_environ, start) => send(start, 200, TEXT_PLAIN, TEXT),
  'POST /login': async (environ, start) => {
    const fields = await form(environ)
    start('303 See Other', [
      ['Location', `/welcome?user=${encodeURIComponent(fields.user ?? '')}`],
      ['Set-Cookie', 'session=abc%20123; Path=/; HttpOnly'],
      ['Set-Cookie', 'theme=dark; Path=/'],
      ['Set-Cookie', 'visit=yes; Path=/; Expires=Sat, 01 Jan 2000 00:00:00 GMT'],
      ['Content-Length', '0'],
    ])
    return []
  },
  'GET /welcome': (environ, start) =>
    json(start, {
      user: new URLSearchParams(environ.QUERY_STRING).get('user'),
      cookies: parseCookies(environ.HTTP_COOKIE as string | undefined),
    }),
  'GET /cookies': (environ, start) =>
    json(start, {
      header: environ.HTTP_COOKIE ?? null,
      cookies: parseCookies(environ.HTTP_COOKIE as string | undefined),
    }),
  'POST /form': async (environ, start) => json(start, { fields: await form(environ) }),
  'POST /json': async (environ, start) => {
    try {
      const received: unknown = JSON.parse((await readBody(environ['tsgi.input'])).toString('utf8'))
      return json(start, { received, type: environ.CONTENT_TYPE })
    } catch {
      return send(start, 400, TEXT_PLAIN, 'invalid JSON\n')
    }
  },
  'GET /binary': (_environ, start) => send(start, 200, OCTETS, BINARY),
  'POST /binary': async (environ, start) => send(start, 200, OCTETS, await readBody(environ['tsgi.input'])),
  'GET /download': (_environ, start) => send(start, 200, OCTETS, downloadBody()),
  'POST /upload': async (environ, start) => json(start, await digestStream(environ['tsgi.input'])),
  'POST /upload/refuse': (_environ, start) => send(start, 413, TEXT_PLAIN, 'upload refused\n'),
  // A gateway app cannot read its upload after its body closed (the server takes it back): it
  // reads it whole first; an unread one has no events to watch.
  'POST /upload/ignore': (_environ, start, state) => {
    state.uploads.begin()
    state.uploads.event('not observable', true)
    return send(start, 200, TEXT_PLAIN, 'ignored\n')
  },
  'POST /upload/late': async (environ, start, state) => {
    state.uploads.begin()
    for await (const chunk of environ['tsgi.input']) state.uploads.received(chunk.byteLength)
    state.uploads.event('end', true)
    return send(start, 200, TEXT_PLAIN, 'answered first\n')
  },
  'GET /upload/last': async (_environ, start, state) => json(start, await state.uploads.last()),
  'GET /stream': (_environ, start) => {
    start('200 OK', TEXT_PLAIN)
    return paced(STREAM_CHUNKS)
  },
  'GET /sse': (_environ, start) => {
    start('200 OK', [
      ['Content-Type', 'text/event-stream'],
      ['Cache-Control', 'no-cache'],
    ])
    return paced(SSE_EVENTS)
  },
  'POST /gate/open': (_environ, start, state) => {
    state.gate.open()
    start('204 No Content', [])
    return []
  },
  'GET /latin1': (_environ, start) =>
    send(start, 200, [['X-Latin', 'caf\u00e9'], ...TEXT_PLAIN], 'latin-1 header\n'),
  'GET /throw': () => {
    throw new Error('sync boom')
  },
  'GET /reject': async () => {
    await delay(1)
    throw new Error('async boom')
  },
  'GET /conn': (environ, start) =>
    json(start, {
      ip: environ.REMOTE_ADDR,
      remoteAddress: environ.REMOTE_ADDR,
      remotePort: environ.REMOTE_PORT,
    }),
  'GET /abort/wait': (environ, start, state) => {
    start('200 OK', TEXT_PLAIN)
    return waitForAbort(environ['tsgi.signal'], state)
  },
  'GET /info': (environ, start) =>
    json(start, {
      ip: environ.REMOTE_ADDR,
      protocol: environ['tsgi.url_scheme'],
      host: environ.HTTP_HOST,
      serverName: environ.SERVER_NAME,
      serverPort: environ.SERVER_PORT,
      serverProtocol: environ.SERVER_PROTOCOL,
    }),
  'GET /stream/fail': (_environ, start) => {
    start('200 OK', TEXT_PLAIN)
    return (async function* () {
      yield Buffer.from('partial\n')
      await delay(STREAM_DELAY_MS)
      throw new Error('mid-stream boom')
    })()
  },
  'GET /repeat': (_environ, start) =>
    send(
      start,
      200,
      [
        ['X-Repeat', 'one'],
        ['X-Repeat', 'two'],
        ['Link', '</a>; rel=next'],
        ['Link', '</b>; rel=prev'],
        ...TEXT_PLAIN,
      ],
      'repeated\n',
    ),
  'GET /flushed': (_environ, start) => flushed(start, 200),
  'GET /flushed-204': (_environ, start) => flushed(start, 204),
  // The one hop-by-hop field an app may send (SPEC server.connection-close).
  'GET /conn-close': (_environ, start) => send(start, 200, [...TEXT_PLAIN, ['Connection', 'close']], 'bye\n'),
  'GET /empty': (_environ, start) => send(start, 200, [], ''),
  'GET /hints': async (environ, start) => {
    await environ['tsgi.early_hints']?.([['Link', EARLY_HINT_LINK]])
    return send(start, 200, TEXT_PLAIN, 'hinted\n')
  },
  'GET /abort/heartbeat': (environ, start, state) => {
    start('200 OK', TEXT_PLAIN)
    return heartbeat(environ['tsgi.signal'], state)
  },
  'GET /abort/last': async (_environ, start, state) => json(start, { aborted: await state.aborts.last() }),
}

async function* paced(chunks: string[]): AsyncGenerator<Uint8Array> {
  for (const [index, chunk] of chunks.entries()) {
    if (index > 0) await delay(STREAM_DELAY_MS)
    yield Buffer.from(chunk)
  }
}

async function* heartbeat(signal: AbortSignal | undefined, state: AppState): AsyncGenerator<Uint8Array> {
  let finished = false
  try {
    yield Buffer.from('waiting\n')
    const until = Date.now() + ABORT_WAIT_MS
    while (Date.now() < until) {
      await delay(STREAM_DELAY_MS)
      if (signal?.aborted) return
      yield Buffer.from('.\n')
    }
    yield Buffer.from('nobody left\n')
    finished = true
  } finally {
    // Either the signal fired or the server closed the body early (return() after a disconnect).
    if (!finished) state.aborts.record()
  }
}

async function* waitForAbort(signal: AbortSignal | undefined, state: AppState): AsyncGenerator<Uint8Array> {
  let finished = false
  try {
    yield Buffer.from('waiting\n')
    const aborted = new Promise<void>((resolve) => signal?.addEventListener('abort', () => resolve()))
    await Promise.race([aborted, delay(ABORT_WAIT_MS)])
    if (signal?.aborted) return
    yield Buffer.from('nobody left\n')
    finished = true
  } finally {
    // Either the signal fired or the server closed the body early (return() after a disconnect).
    if (!finished) state.aborts.record()
  }
}
