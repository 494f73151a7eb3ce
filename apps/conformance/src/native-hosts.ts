import { createServer, type RequestListener } from 'node:http'
import type { AddressInfo } from 'node:net'

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
