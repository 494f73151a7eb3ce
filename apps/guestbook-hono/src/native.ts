import { pathToFileURL } from 'node:url'
import { serve } from '@hono/node-server'
import type { NativeServer } from '@tsgi-apps/guestbook-shared'
import type { Hono } from 'hono'

export type { NativeServer }

/** Serves a Hono app on `@hono/node-server`, as Hono apps run on Node, on 127.0.0.1. Port 0 picks one. */
export function startNative(app: Hono, port = 0, host = '127.0.0.1'): Promise<NativeServer> {
  return new Promise((resolve) => {
    const server = serve({ fetch: app.fetch, port, hostname: host }, (info) => {
      resolve({
        url: `http://${host}:${info.port}`,
        close: () =>
          new Promise((done) => {
            server.close(() => done())
            if ('closeAllConnections' in server) server.closeAllConnections()
          }),
      })
    })
  })
}

// `tsx src/native.ts`: run the default app natively on $PORT (8000).
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { app } = await import('./app.ts')
  const server = await startNative(app, Number(process.env.PORT ?? 8000), process.env.HOST ?? '127.0.0.1')
  console.log(`guestbook (hono, native @hono/node-server) on ${server.url}`)
}
