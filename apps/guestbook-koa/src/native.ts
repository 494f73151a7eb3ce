import { pathToFileURL } from 'node:url'
import { listenNodeHttp, type NativeServer } from '@tsgi-apps/guestbook-shared'
import type Koa from 'koa'

export type { NativeServer }

/** Serves a Koa app on node:http (`app.callback()`), on 127.0.0.1. Port 0 picks one. */
export function startNative(app: Koa, port = 0, host = '127.0.0.1'): Promise<NativeServer> {
  return listenNodeHttp(app.callback(), port, host)
}

// `tsx src/native.ts`: run the default app natively on $PORT (8000).
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { app } = await import('./app.ts')
  const server = await startNative(app, Number(process.env.PORT ?? 8000), process.env.HOST ?? '127.0.0.1')
  console.log(`guestbook (koa, native node:http) on ${server.url}`)
}
