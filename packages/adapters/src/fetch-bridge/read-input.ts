import type { InputStream } from '@tsgi/core'

/**
 * The whole of `tsgi.input` as one new `Uint8Array` (a copy: the server's chunks may be
 * views into its own buffers, and `arrayBuffer()` must hand out a buffer of its own).
 * The input's iterator is used rather than `read()`, so the server gets each chunk's
 * worth of room back as it is taken.
 */
export async function readInput(input: InputStream): Promise<Uint8Array> {
  const chunks: Uint8Array[] = []
  let total = 0
  for await (const chunk of input) {
    chunks.push(chunk)
    total += chunk.byteLength
  }
  // Its own buffer (arrayBuffer() hands it out), not zero-filled: every byte is copied over.
  const out = new Uint8Array(Buffer.allocUnsafeSlow(total).buffer, 0, total)
  let offset = 0
  for (const chunk of chunks) {
    out.set(chunk, offset)
    offset += chunk.byteLength
  }
  return out
}
