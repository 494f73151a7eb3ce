import { type App, validate } from '@tsgi/core'
import { serve } from '@tsgi/server'
import { Guestbook } from '../src/index.ts'
import { injectTarget, type Target, tcpTarget } from './http-target.ts'
import { tempDbPath } from './temp-db.ts'

/** Builds the framework's app on a guestbook and makes it a gateway app (e.g. via `fromExpress`). */
export type MakeApp = (guestbook: Guestbook) => App

/** Starts the framework's app on its own native server. */
export type StartNative = (guestbook: Guestbook) => Promise<{ url: string; close(): Promise<void> }>

/** How one test reaches the app. */
export interface Running {
  target: Target
  /** Set when the app listens on a real socket. */
  baseUrl?: string
  close(): Promise<void>
}

/** One way of running the app: in memory, through `serve()`, or natively. */
export interface Mode {
  name: string
  /** True when requests go over a real socket (streams can only be tested there). */
  overSocket: boolean
  start(guestbook: Guestbook): Promise<Running>
}

/** The modes every guestbook is tested in; `native` adds the framework's own server. */
export function modes(makeApp: MakeApp, native?: StartNative): Mode[] {
  const list: Mode[] = [
    {
      name: 'in memory (inject + validate)',
      overSocket: false,
      start: async (guestbook) => ({
        target: injectTarget(validate(makeApp(guestbook))),
        close: async () => {},
      }),
    },
    {
      name: 'over TCP (tsgi serve + validate)',
      overSocket: true,
      start: (guestbook) => serveOverTcp(validate(makeApp(guestbook))),
    },
  ]
  if (native) {
    list.push({
      name: 'on its native server',
      overSocket: true,
      start: async (guestbook) => {
        const server = await native(guestbook)
        return { target: tcpTarget(server.url), baseUrl: server.url, close: () => server.close() }
      },
    })
  }
  return list
}

/** Serves a gateway app with the tsgi server on an ephemeral loopback port. */
export async function serveOverTcp(app: App): Promise<Running> {
  const server = await serve(app, { bind: ['127.0.0.1:0'], errorLog: (text) => process.stderr.write(text) })
  return { target: tcpTarget(server.address), baseUrl: server.address, close: () => server.close() }
}

/** A guestbook on a fresh database file, with a clock that ticks one minute per entry. */
export interface Fixture {
  guestbook: Guestbook
  dbPath: string
  /** Opens another guestbook on the same file (a restart). */
  reopen(): Guestbook
  dispose(): void
}

/**
 * Creates a {@link Fixture}. `heartbeatMs` is the SSE heartbeat: over a socket the tests use a
 * short one, since a server may only learn that a client left when a write to it fails (the
 * tsgi server keeps half-open sockets, so a client's FIN alone does not end a response).
 */
export function createFixture(options: { heartbeatMs?: number } = {}): Fixture {
  const db = tempDbPath()
  let tick = Date.UTC(2026, 0, 1, 12, 0)
  const now = (): number => (tick += 60_000)
  const opened: Guestbook[] = []
  const open = (): Guestbook => {
    const guestbook = new Guestbook({ dbPath: db.path, now, heartbeatMs: options.heartbeatMs ?? 0 })
    opened.push(guestbook)
    return guestbook
  }
  return {
    guestbook: open(),
    dbPath: db.path,
    reopen: open,
    dispose: () => {
      for (const guestbook of opened) guestbook.close()
      db.remove()
    },
  }
}
