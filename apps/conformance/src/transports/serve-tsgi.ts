import type { App } from '@tsgi/core'
import type { Host } from '../native-hosts.ts'

/** What the tsgi server logged (app stack traces), kept out of the test output. */
export const serverErrorLog: string[] = []

/** Serves a gateway app on the tsgi server, on 127.0.0.1 with a kernel-chosen port. */
export async function serveTsgi(app: App): Promise<Host> {
  const { serve } = await import('@tsgi/server')
  const server = await serve(app, {
    bind: ['127.0.0.1:0'],
    // Identifies the server, not the app; node:http sends none, so leave it out of the diff.
    serverHeader: false,
    errorLog: (text) => {
      serverErrorLog.push(text)
    },
  })
  return { port: Number(new URL(server.address).port), close: () => server.close() }
}
