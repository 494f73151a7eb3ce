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
 * The connection was cut while the response was under way: the app (or its framework) destroyed
 * the socket, as Express's final handler does when an error follows a sent head, or the client
 * left. The gateway body fails with it, so the server cuts its real connection too.
 */
export class ConnectionDestroyedError extends NodeBridgeError {
  constructor(cause?: unknown) {
    super('TSGI_CONNECTION_DESTROYED', 'the Node app destroyed the connection', { cause })
    this.name = 'ConnectionDestroyedError'
  }
}

/** What node:http gives a request whose connection closed before it completed (`'aborted'`). */
export function connectionReset(): Error & { code: string } {
  return Object.assign(new Error('aborted'), { code: 'ECONNRESET' })
}
