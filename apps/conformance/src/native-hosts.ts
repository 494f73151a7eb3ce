import { createServer, type RequestListener } from 'node:http'
import type { AddressInfo } from 'node:net'
import { serve as honoServe } from '@hono/node-server'
import type { Hono } from 'hono'

/** A server listening on 127.0.0.1 with a kernel-chosen port. */
export interface Host {
  port: number
  close(): Promise<void>
}

/** Hosts a `(req, res)` listener on plain `node:http`, the way Express and Koa apps run. */
export function listenNodeHttp(listener: RequestListener): Promise<Host> {
  const server = createServer(listener)
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      resolve({
        port: (server.address() as AddressInfo).port,
        close: () =>
          new Promise((done) => {
            server.close(() => done())
            server.closeAllConnections()
          }),
      })
    })
  })
}

/** Hosts a Hono app on `@hono/node-server`, its documented Node.js server. */
export function listenHonoNodeServer(app: Hono): Promise<Host> {
  return new Promise((resolve) => {
    // The other ways run in this same process: keep the global Request/Response untouched.
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
