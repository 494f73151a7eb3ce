import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { pathToFileURL } from 'node:url'
import type { Express } from 'express'

/** A framework app listening on its own native server. */
export interface NativeServer {
  /** `http://127.0.0.1:PORT`, no trailing slash. */
  url: string
  /** Stops listening and cuts open connections (event streams never end by themselves). */
  close(): Promise<void>
}

/** Serves an Express app on node:http, as Express apps usually run, on 127.0.0.1. Port 0 picks one. */
export function startNative(app: Express, port = 0, host = '127.0.0.1'): Promise<NativeServer> {
  const server = createServer(app)
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

// `tsx src/native.ts`: run the default app natively on $PORT (8000).
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { app } = await import('./app.ts')
  const server = await startNative(app, Number(process.env.PORT ?? 8000), process.env.HOST ?? '127.0.0.1')
  console.log(`guestbook (express, native node:http) on ${server.url}`)
}
