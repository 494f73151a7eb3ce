import { BodyTooLargeError } from './errors.ts'

/** The most a form or JSON body may hold: far above what the limits allow a valid entry. */
export const MAX_BODY_BYTES = 64 * 1024

/**
 * Reads a request body into one buffer, refusing more than `limitBytes` with
 * {@link BodyTooLargeError}. A declared Content-Length over the limit is refused before reading.
 * An oversized body without one is drained, not torn down: stopping a node:http request
 * stream destroys its socket, and the 413 could then never be sent.
 */
export async function readBody(
  source: AsyncIterable<Uint8Array> | null | undefined,
  contentLength: string | undefined,
  limitBytes: number = MAX_BODY_BYTES,
): Promise<Uint8Array> {
  if (contentLength !== undefined && Number(contentLength) > limitBytes)
    throw new BodyTooLargeError(limitBytes)
  if (!source) return new Uint8Array(0)
  const chunks: Uint8Array[] = []
  let size = 0
  for await (const chunk of source) {
    size += chunk.byteLength
    if (size <= limitBytes) chunks.push(chunk)
  }
  if (size > limitBytes) throw new BodyTooLargeError(limitBytes)
  return Buffer.concat(chunks)
}
