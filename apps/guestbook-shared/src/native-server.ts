import { createServer, type RequestListener } from 'node:http'
import type { AddressInfo } from 'node:net'

/** A framework app listening on its own native server. */
export interface NativeServer {
  /** `http://127.0.0.1:PORT`, no trailing slash. */
  url: string
  /** Stops listening and cuts open connections (event streams never end by themselves). */
  close(): Promise<void>
}

/** Serves a `(req, res)` listener on node:http, as Express and Koa apps usually run. Port 0 picks one. */
export function listenNodeHttp(
  listener: RequestListener,
  port = 0,
  host = '127.0.0.1',
): Promise<NativeServer> {
  const server = createServer(listener)
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, host, () => {
      const { port: bound } = server.address() as AddressInfo
      resolve({
        url: `http://${host}:${bound}`,
        close: () =>
          new Promise((done) => {
            server.close(() => done())
            server.closeAllConnections()
          }),
      })
    })
  })
}
