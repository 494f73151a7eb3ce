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

/**
 * `toNodeHandler`: the gateway app read `tsgi.input` for the first time after its response was
 * out, and node:http had already thrown the unread body away (`_dump`), as it does with a body
 * nobody reads: the read fails rather than find an empty body (SPEC 4, as the tsgi server's
 * `TSGI_INPUT_AFTER_RESPONSE`).
 */
export class InputAfterResponseError extends NodeBridgeError {
  constructor() {
    super(
      'TSGI_INPUT_AFTER_RESPONSE',
      'tsgi.input read after the response ended: node:http discarded the unread request body',
    )
    this.name = 'InputAfterResponseError'
  }
}

/** What node:http gives a request whose connection closed before it completed (`'aborted'`). */
export function connectionReset(): Error & { code: string } {
  return Object.assign(new Error('aborted'), { code: 'ECONNRESET' })
}
