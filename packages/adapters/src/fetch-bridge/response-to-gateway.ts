import type { Body, Environ, HeaderList, StartResponse, Write } from '@tsgi/core'
import { concatBytes, readAhead } from './read-ahead.ts'
import { statusLine } from './reason-phrase.ts'
import { gatewayHeaders, hasContentLength } from './response-headers.ts'
import { StreamBody } from './stream-body.ts'
import type { UploadProgress } from './upload-progress.ts'

/** A host's own touch on the response headers (`fromHono`: `@hono/node-server`'s default type). */
export type AdjustHeaders = (headers: HeaderList, hasBody: boolean) => void

/** RFC 9110 §6.4.1: these responses never carry content, whatever the handler attached. */
function isBodiless(status: number): boolean {
  return status < 200 || status === 204 || status === 304
}

/**
 * Answers a gateway request with a fetch `Response`: `startResponse` with the status
 * line and headers, then a body that streams the response chunk by chunk. A body that
 * is already complete goes out as one chunk so the server can size it. HEAD sends no
 * body but keeps `Content-Length` (RFC 9110 §9.3.2), computed from the body when the
 * handler left it out and the body is complete already.
 */
export async function sendResponse(
  response: Response,
  environ: Environ,
  startResponse: StartResponse,
  adjustHeaders?: AdjustHeaders,
  upload?: UploadProgress,
): Promise<Body> {
  const status = statusLine(response.status, response.statusText)
  const headers = gatewayHeaders(response.headers)
  const stream = response.body
  adjustHeaders?.(headers, stream !== null)
  if (stream === null) {
    const write = startResponse(status, headers)
    if (!upload?.reading) return []
    // A bodiless status waits with its head (see below); an empty 200 has it flushed.
    return isBodiless(response.status) ? waitForUpload([], upload) : thenUploadOver([], upload, write)
  }
  const reader = stream.getReader()
  const ahead = await readAhead(reader)
  const head = environ.REQUEST_METHOD === 'HEAD'
  if (head || isBodiless(response.status)) {
    if (head && ahead.done && !hasContentLength(headers) && !isBodiless(response.status)) {
      headers.push(['content-length', String(byteLength(ahead.chunks))])
    }
    if (!ahead.done) await reader.cancel().catch(() => {})
    startResponse(status, headers)
    // Not flushed: the server ends a bodiless answer as soon as its head is out, which would take
    // the upload back from under the read. Its head waits for the read instead.
    return upload?.reading ? waitForUpload([], upload) : []
  }
  if (ahead.done && upload?.reading) {
    // Sized as the array would have been.
    if (!hasContentLength(headers)) headers.push(['content-length', String(byteLength(ahead.chunks))])
    const write = startResponse(status, headers)
    return thenUploadOver(ahead.chunks, upload, write)
  }
  startResponse(status, headers)
  if (ahead.done) return ahead.chunks.length === 0 ? [] : [concatBytes(ahead.chunks)]
  return new StreamBody(reader, ahead.chunks, ahead.pending, environ['tsgi.signal'], upload)
}

function byteLength(chunks: Uint8Array[]): number {
  return chunks.reduce((bytes, chunk) => bytes + chunk.byteLength, 0)
}

/**
 * A complete body whose end waits for the handler's read of its upload, which goes on after the
 * answer: an array would end at once, and the server would take the upload back from under it.
 * An empty one has its head flushed first (the legacy `write` of an empty chunk), so the client
 * gets the answer now, as on `@hono/node-server`, not when the upload is over.
 */
function thenUploadOver(
  chunks: Uint8Array[],
  upload: UploadProgress,
  write: Write,
): AsyncGenerator<Uint8Array> {
  if (chunks.length === 0) {
    try {
      write(new Uint8Array(0)).catch(() => {})
    } catch {
      // A head the server refuses fails the response on its own; the body only waits.
    }
  }
  return waitForUpload(chunks, upload)
}

async function* waitForUpload(chunks: Uint8Array[], upload: UploadProgress): AsyncGenerator<Uint8Array> {
  yield* chunks
  await upload.over()
}
