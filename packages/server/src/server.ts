import type { App } from '@tsgi/core'
import type { ServeOptions, TsgiServer } from './server-options.ts'

export type { AccessLogEntry, ServeOptions, TsgiServer } from './server-options.ts'

/** Serves `app` over HTTP/1.1 on every `bind` address; resolves once all are listening. */
export async function serve(app: App, options: ServeOptions = {}): Promise<TsgiServer> {
  void app
  void options
  throw new Error('not implemented yet')
}
