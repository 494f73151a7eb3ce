import { createHash } from 'node:crypto'

/**
 * The data every test app serves, so scenarios can state exact expectations and the
 * apps for different frameworks stay the same app.
 */

/** Every byte value once: a body that any re-encoding (UTF-8, latin-1, base64) would change. */
export const BINARY = Uint8Array.from({ length: 256 }, (_, index) => index)

/** The body of `GET /text`, also what `HEAD /text` must announce in `Content-Length`. */
export const TEXT = 'hello, conformance\n'

/** `GET /stream` writes these, one at a time, `STREAM_DELAY_MS` apart. */
export const STREAM_CHUNKS = ['chunk 1\n', 'chunk 2\n', 'chunk 3\n']

/** `GET /sse` sends these events (the event-stream format, HTML Living Standard §9.2.5). */
export const SSE_EVENTS = [1, 2, 3].map((id) => `id: ${id}\nevent: tick\ndata: tick ${id}\n\n`)

/** The `Link` that `GET /hints` announces in a 103 Early Hints (RFC 8297) before its response. */
export const EARLY_HINT_LINK = '</style.css>; rel=preload; as=style'

/** Small enough to keep the suite fast, long enough that the order of chunks is observable. */
export const STREAM_DELAY_MS = 10

/** Size of `GET /download`: bigger than any socket buffer, so it is written in many pieces. */
export const DOWNLOAD_BYTES = 1024 * 1024

let download: Uint8Array | undefined

/** A deterministic, non-repeating-looking pattern for `GET /download` (made once, on first use). */
export function downloadBody(): Uint8Array {
  download ??= pattern(DOWNLOAD_BYTES, 31, 8)
  return download
}

/** `length` bytes of `(index * step + (index >> shift)) & 0xff`: cheap, deterministic, not periodic. */
export function pattern(length: number, step: number, shift: number): Uint8Array {
  const bytes = new Uint8Array(length)
  for (let index = 0; index < length; index++) bytes[index] = (index * step + (index >> shift)) & 0xff
  return bytes
}

/** The response of the upload routes: what the app counted and hashed while the body streamed in. */
export interface UploadDigest {
  bytes: number
  sha256: string
}

/** Hashes a body chunk by chunk, never holding it whole. */
export async function digestStream(chunks: AsyncIterable<Uint8Array | string>): Promise<UploadDigest> {
  const hash = createHash('sha256')
  let bytes = 0
  for await (const chunk of chunks) {
    const data = typeof chunk === 'string' ? Buffer.from(chunk) : chunk
    hash.update(data)
    bytes += data.byteLength
  }
  return { bytes, sha256: hash.digest('hex') }
}

/** Collects a body into one buffer (for the small bodies of echo routes). */
export async function readBody(chunks: AsyncIterable<Uint8Array | string>): Promise<Buffer> {
  const parts: Buffer[] = []
  for await (const chunk of chunks)
    parts.push(typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk))
  return Buffer.concat(parts)
}

/** `a=1; b=2` -> `{ a: '1', b: '2' }` (RFC 6265 §5.4), for apps whose framework has no parser. */
export function parseCookies(header: string | undefined): Record<string, string> {
  const cookies: Record<string, string> = {}
  for (const pair of (header ?? '').split(';')) {
    const at = pair.indexOf('=')
    if (at > 0) cookies[pair.slice(0, at).trim()] = pair.slice(at + 1).trim()
  }
  return cookies
}

/** Header records with sorted keys, so echoes do not depend on insertion order. */
export function sortedRecord<T>(record: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : 1)))
}

/** Resolves after `ms`. */
export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}
