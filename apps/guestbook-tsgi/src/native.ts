import { pathToFileURL } from 'node:url'
import type { App } from '@tsgi/core'
import { serve } from '@tsgi/server'

/** An app listening on its own native server. */
export interface NativeServer {
  /** `http://127.0.0.1:PORT`, no trailing slash. */
  url: string
  /** Stops listening and closes connections. */
  close(): Promise<void>
}

/** A gateway app's native server is the tsgi reference server itself: `serve()` on 127.0.0.1. */
export async function startNative(app: App, port = 0, host = '127.0.0.1'): Promise<NativeServer> {
  const server = await serve(app, { bind: [`${host}:${port}`] })
  return { url: server.address, close: () => server.close() }
}

// `tsx src/native.ts`: run the default app on $PORT (8000).
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { app } = await import('./app.ts')
  const server = await startNative(app, Number(process.env.PORT ?? 8000), process.env.HOST ?? '127.0.0.1')
  console.log(`guestbook (raw tsgi gateway app) on ${server.url}`)
}
