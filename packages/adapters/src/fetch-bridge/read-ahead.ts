/** One result of `reader.read()`. */
export type ReadResult = Awaited<ReturnType<ReadableStreamDefaultReader<Uint8Array>['read']>>

/** What {@link readAhead} found: the chunks already available and how the stream stands. */
export interface ReadAhead {
  chunks: Uint8Array[]
  /** The stream ended within the chunks read. */
  done: boolean
  /** A read still in flight when the stream had nothing ready; the next read must await it. */
  pending: Promise<ReadResult> | undefined
}

/** Stop reading ahead past this many bytes: a fast producer must not be buffered whole. */
const READ_AHEAD_BYTES = 64 * 1024

/** A promise that settles one microtask after `Promise.resolve()`: "is the read ready now?". */
function nextTick(): Promise<undefined> {
  return Promise.resolve(undefined).then(() => undefined)
}

/**
 * Reads the chunks a stream has ready without waiting for more. A `Response` made from
 * a string, bytes or JSON is complete at once: sending it as one sized chunk lets the
 * server send `Content-Length` (PEP 3333: a body of length 1 may be sized), while a
 * stream that is still producing (SSE) is left to stream. `@hono/node-server` sniffs
 * short bodies the same way.
 */
export async function readAhead(reader: ReadableStreamDefaultReader<Uint8Array>): Promise<ReadAhead> {
  const chunks: Uint8Array[] = []
  let bytes = 0
  let pastLimit = 0
  for (;;) {
    const read = reader.read()
    const result = await Promise.race([read, nextTick()])
    if (result === undefined) return { chunks, done: false, pending: read }
    if (result.done) return { chunks, done: true, pending: undefined }
    const chunk = toBytes(result.value)
    chunks.push(chunk)
    bytes += chunk.byteLength
    // Past the limit one more ready read is looked at: it finds the end of a body that was in
    // memory all along (a 300 KB `Uint8Array` is one chunk), which then goes out sized as on
    // `@hono/node-server`, and holds at most one more chunk of a producer that keeps going.
    if (bytes > READ_AHEAD_BYTES && ++pastLimit > 1) return { chunks, done: false, pending: undefined }
  }
}

const encoder = new TextEncoder()

/**
 * A body chunk as bytes. Runtime streams yield `Uint8Array`; a handler's own stream may
 * enqueue strings (encoded as UTF-8, as `@hono/node-server` writes them) or other views.
 */
export function toBytes(value: unknown): Uint8Array {
  if (value instanceof Uint8Array) return value
  if (typeof value === 'string') return encoder.encode(value)
  if (ArrayBuffer.isView(value)) return new Uint8Array(value.buffer, value.byteOffset, value.byteLength)
  if (value instanceof ArrayBuffer) return new Uint8Array(value)
  throw new TypeError(`Response body chunk is ${typeof value}, expected Uint8Array`)
}

/** Several chunks as one, without copying when there is only one. */
export function concatBytes(chunks: Uint8Array[]): Uint8Array {
  if (chunks.length === 1) return chunks[0]!
  const total = chunks.reduce((sum, chunk) => sum + chunk.byteLength, 0)
  const out = new Uint8Array(total)
  let offset = 0
  for (const chunk of chunks) {
    out.set(chunk, offset)
    offset += chunk.byteLength
  }
  return out
}
