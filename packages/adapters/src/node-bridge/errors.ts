import { CONNECTION_DESTROYED } from '@tsgi/core'

/**
 * The errors the Node bridge raises itself (never the app's own errors, which pass through
 * untouched). Callers branch on `code`, never on the message.
 */
export class NodeBridgeError extends Error {
  /** A stable, machine-readable code. */
  readonly code: string

  constructor(code: string, message: string, options?: ErrorOptions) {
    super(message, options)
    this.name = 'NodeBridgeError'
    this.code = code
  }
}

/**
 * The app (or its framework) destroyed the socket: a rate limiter dropping a request, or Express's
 * final handler when an error follows a sent head. The gateway app fails with it, whose code asks
 * the server to drop its real connection too (SPEC 6.2): nothing sent if no head went out, else
 * a cut.
 */
export class ConnectionDestroyedError extends NodeBridgeError {
  constructor(cause?: unknown) {
    super(CONNECTION_DESTROYED, 'the Node app destroyed the connection', { cause })
    this.name = 'ConnectionDestroyedError'
  }
}

/** What node:http gives a request whose connection closed before it completed (`'aborted'`). */
export function connectionReset(): Error & { code: string } {
  return Object.assign(new Error('aborted'), { code: 'ECONNRESET' })
}
