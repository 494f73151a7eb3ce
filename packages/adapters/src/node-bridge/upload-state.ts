import type { IncomingMessage } from 'node:http'

type ReadState = IncomingMessage & {
  _dumped?: boolean
  _consuming?: boolean
  _readableState?: { resumeScheduled?: boolean }
}

/**
 * Whether the app is reading the request body and has not reached its end, as node:http's
 * `resOnFinish` tells it: the request started reading (`_consuming`) or a resume is scheduled,
 * node did not dump the body for it, and it neither completed nor was destroyed. node:http keeps
 * delivering such a body after the response, and reads the connection's next request only
 * after it; an unread body it reads off the connection and throws away.
 */
export function readingUpload(req: IncomingMessage): boolean {
  const state = req as ReadState
  if (req.complete || req.destroyed || state._dumped) return false
  return state._consuming === true || state._readableState?.resumeScheduled === true
}
