import type { IncomingMessage } from 'node:http'
import { LATE_READ_MS, type UploadLog } from './app-state.ts'

/** Records the events `req` emits from now on into `log` ('close' is the last one). */
export function watchUpload(req: IncomingMessage, log: UploadLog): void {
  log.begin()
  req.on('aborted', () => log.event('aborted'))
  req.on('end', () => log.event('end'))
  req.on('error', (error: NodeJS.ErrnoException) => log.event(`error ${error.code ?? error.name}`))
  req.on('close', () => log.event('close', true))
}

/**
 * Takes the upload's first chunk, then calls `answer` (the response goes out with most of the
 * upload unread), and reads the rest {@link LATE_READ_MS} later, counting it into `log`.
 */
export function answerThenRead(req: IncomingMessage, log: UploadLog, answer: () => void): void {
  watchUpload(req, log)
  req.once('data', (first: Buffer) => {
    log.received(first.byteLength)
    req.pause()
    answer()
    setTimeout(() => {
      req.on('data', (chunk: Buffer) => log.received(chunk.byteLength))
      req.resume()
    }, LATE_READ_MS)
  })
}
