/**
 * How long the end of a response waits for an app reading its upload after answering, once the
 * app has stopped taking what arrived. A read that goes on keeps the response open until the
 * upload's end, as on node:http, however slowly the client sends (a client that stops sending
 * altogether meets the server's own body-read timeout). One the app gave up (a body-size limit
 * that answered 413 and paused the request, a reader left unread) must not hold the connection:
 * after this long with bytes waiting that the app does not take, the server takes the upload
 * back, discards the rest and goes on to the next request, and the app's read fails.
 */
export const LATE_UPLOAD_IDLE_MS = 500

/** How far an app got with its upload: the bytes it took, and whether it is waiting for more. */
export interface UploadActivity {
  /** A count that grows as the app takes the upload's bytes. */
  taken(): number
  /** The app is waiting for bytes the client has not sent yet: a stall that is not the app's. */
  waiting(): boolean
}

/**
 * Resolves when `over` settles, or once the app has taken nothing for {@link LATE_UPLOAD_IDLE_MS}
 * while not waiting for the client.
 */
export function untilOverOrIdle(over: Promise<unknown>, activity: UploadActivity): Promise<void> {
  return new Promise((resolve) => {
    let last = activity.taken()
    const timer = setInterval(() => {
      const now = activity.taken()
      if (now === last && !activity.waiting()) finish()
      last = now
    }, LATE_UPLOAD_IDLE_MS)
    const finish = (): void => {
      clearInterval(timer)
      resolve()
    }
    over.then(finish, finish)
  })
}
