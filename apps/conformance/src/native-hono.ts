import { serve as honoServe } from '@hono/node-server'
import type { Hono } from 'hono'
import type { Host } from './native-hosts.ts'

/** Hosts a Hono app on `@hono/node-server`, its documented Node.js server. */
export function listenHonoNodeServer(app: Hono): Promise<Host> {
  return new Promise((resolve) => {
    // DESIGN: never patch globals; other ways may share this process (in-process runs, harness tests).
    const server = honoServe(
      { fetch: app.fetch, port: 0, hostname: '127.0.0.1', overrideGlobalObjects: false },
      (info) => {
        resolve({
          port: info.port,
          close: () =>
            new Promise((done) => {
              server.close(() => done())
              if ('closeAllConnections' in server) server.closeAllConnections()
            }),
        })
      },
    )
  })
}
