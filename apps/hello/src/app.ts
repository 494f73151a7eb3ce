/**
 * The smallest gateway app: a fixed "Hello, World!" with a known length. The server
 * benchmark (`bench/server.mjs`) serves it, so it does as little as an app can.
 */
import type { App } from '@tsgi/core'

const body = Buffer.from('Hello, World!\n', 'latin1')
const length = String(body.length)

/** Answers every request with `200 OK` and `Hello, World!\n`. */
export const app: App = (_environ, startResponse) => {
  // A fresh list per call: a server may append to the list it is given (Date, Server).
  startResponse('200 OK', [
    ['Content-Type', 'text/plain'],
    ['Content-Length', length],
  ])
  return [body]
}

export default app
