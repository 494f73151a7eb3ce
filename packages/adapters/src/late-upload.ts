/**
 * How long the end of a response waits for an app reading its upload after answering, once it
 * has stopped taking any of it. A read that goes on keeps the response open until the upload's
 * end, as on node:http; one the app gave up (a body-size limit that answered 413 and paused the
 * request, a reader left unread) must not hold the connection: after this long the server takes
 * the upload back, discards the rest and goes on to the next request, and the app's read fails.
 * `@hono/node-server` gives such a read the same 500 ms (its `DRAIN_TIMEOUT_MS`) before it
 * destroys the connection.
 */
export const LATE_UPLOAD_IDLE_MS = 500

/**
 * Resolves when `over` settles, or once `progress()` (a count of the upload's bytes the app took)
 * has not changed for {@link LATE_UPLOAD_IDLE_MS}.
 */
export function untilOverOrIdle(over: Promise<unknown>, progress: () => number): Promise<void> {
  return new Promise((resolve) => {
    let last = progress()
    const timer = setInterval(() => {
      const now = progress()
      if (now === last) finish()
      last = now
    }, LATE_UPLOAD_IDLE_MS)
    const finish = (): void => {
      clearInterval(timer)
      resolve()
    }
    over.then(finish, finish)
  })
}
