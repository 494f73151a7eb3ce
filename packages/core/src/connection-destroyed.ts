/**
 * The `code` of an error an app fails with to have its connection dropped without a response, as
 * `socket.destroy()` does on node:http (a rate limiter, an abuse filter): SPEC section 6.2. The
 * server sends nothing more on that connection, closes it, and does not log an app error.
 *
 * @example
 * throw Object.assign(new Error('dropped: too many requests'), { code: CONNECTION_DESTROYED })
 */
export const CONNECTION_DESTROYED = 'TSGI_CONNECTION_DESTROYED'
