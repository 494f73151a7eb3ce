import type { App, ErrorStream } from '@tsgi/core'
import type { Limits } from './limits.ts'
import type { AccessLogEntry } from './server-options.ts'

/** What every connection of one server shares: the app, resolved options, and the shutdown flag. */
export interface ServerContext {
  app: App
  limits: Limits
  serverHeader: string | null
  urlScheme: 'http' | 'https'
  multiprocess: boolean
  errorLog: (text: string) => void
  accessLog: ((entry: AccessLogEntry) => void) | null
  /** `tsgi.errors`, shared by every request. */
  errors: ErrorStream
  /** Set by `close()`: finish the current request, then close instead of keeping alive. */
  closing: boolean
  /** Bodies' async `close()` calls still running: `close()` of the server waits for them too. */
  pendingCloses: Set<Promise<void>>
}
