/**
 * The smallest gateway app: a fixed "Hello, World!" with a known length. The server
 * benchmark (`bench/server.mjs`) serves it, so it does as little as an app can.
 */
import type { App } from '@tsgi/core'

const body = Buffer.from('Hello, World!\n', 'latin1')
const length = String(body.length)

const EMPTY: Uint8Array[] = []

/**
 * Answers every request with `200 OK` and `Hello, World!\n`; `HEAD` gets the same headers,
 * `Content-Length` included, and no body (RFC 9110 §9.3.2; SPEC `body.head-empty`).
 */
export const app: App = (environ, startResponse) => {
  // A fresh list per call: a server may append to the list it is given (Date, Server).
  startResponse('200 OK', [
    ['Content-Type', 'text/plain'],
    ['Content-Length', length],
  ])
  return environ.REQUEST_METHOD === 'HEAD' ? EMPTY : [body]
}

export default app
