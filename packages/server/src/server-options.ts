import type { Server } from 'node:net'
import type { Limits } from './limits.ts'

/** One completed request, as handed to `ServeOptions.accessLog`. */
export interface AccessLogEntry {
  remoteAddr: string
  method: string
  /** The request-target as received (`RAW_URI`). */
  target: string
  /** The version the request line carried (`'HTTP/1.1'`, `'HTTP/1.0'`, a higher `HTTP/1.x`), or `'-'` for a head refused before it was read whole. */
  protocol: string
  status: number
  /** Body bytes sent (framing excluded). */
  bytes: number
  durationMs: number
  startTime: Date
  referer?: string
  userAgent?: string
}

/** Options of `serve()`. Every field is optional. */
export interface ServeOptions {
  /** Addresses to listen on: `'HOST:PORT'`, `'[::1]:PORT'`, `'unix:/path'`. Default `['127.0.0.1:8000']`. */
  bind?: string[]
  /** Overrides of the limits table (`limits.ts`); `null` lifts a limit. */
  limits?: Partial<Limits>
  /** The `Server` response header; `false` leaves it out. Default `'tsgi'`. */
  serverHeader?: string | false
  /** `tsgi.multiprocess` (true when a supervisor runs several workers). */
  multiprocess?: boolean
  /** Called once per completed request; `false` (the default) logs nothing. */
  accessLog?: ((entry: AccessLogEntry) => void) | false
  /** Receives `tsgi.errors` text and app stack traces. Default: `process.stderr`. */
  errorLog?: (text: string) => void
  /** `tsgi.url_scheme`. Default `'http'`. */
  urlScheme?: 'http' | 'https'
  /** A listener to use instead of creating one (it must not be listening yet, unless `bind` is empty). */
  server?: Server
}

/** A running server. */
export interface TsgiServer {
  /** The first bound address as a URL, e.g. `http://127.0.0.1:8000` (or `unix:/path`). */
  address: string
  /** Every bound address, in `bind` order. */
  addresses: string[]
  /** Stops accepting, lets in-flight requests finish (up to `gracefulTimeoutMs`), closes idle connections. */
  close(): Promise<void>
}
