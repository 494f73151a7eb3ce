import type { InputStream } from '@tsgi/core'
import { readInput } from './read-input.ts'

/** UTF-8 decode as the Fetch standard's `text()` does it: a leading BOM is dropped. */
const decoder = new TextDecoder()

/** How each body reader turns the whole body into its result. */
export const FROM_BYTES = {
  text: (bytes: Uint8Array): string => decoder.decode(bytes),
  json: (bytes: Uint8Array): unknown => JSON.parse(decoder.decode(bytes)),
  arrayBuffer: (bytes: Uint8Array): ArrayBuffer => bytes.buffer as ArrayBuffer,
  bytes: (bytes: Uint8Array): Uint8Array => bytes,
} as const

/** A body reader answered from the whole body. */
export type BodyReader = keyof typeof FROM_BYTES

/**
 * Gives a real `Request` whose body streams from `tsgi.input` own `text()`, `json()`,
 * `arrayBuffer()` and `bytes()` that read the input directly while nobody has touched the
 * stream: the stream is cancelled first, which makes it "disturbed", so `bodyUsed`, a second
 * read, `clone()` and `new Request(request)` behave as after a normal read. Once the stream
 * is locked or disturbed, `Request.prototype`'s own method answers. On Node 24 reading
 * 64 KiB in four chunks this way skips the stream and undici's consumer.
 */
export function withDirectReaders(request: Request, input: InputStream): Request {
  for (const name of Object.keys(FROM_BYTES) as BodyReader[]) {
    const own = (Request.prototype as unknown as Record<string, (() => Promise<unknown>) | undefined>)[name]
    if (own === undefined) continue
    Object.defineProperty(request, name, {
      configurable: true,
      writable: true,
      value(): Promise<unknown> {
        const body = request.body
        if (body === null || body.locked || request.bodyUsed) return own.call(request)
        void body.cancel()
        return readInput(input).then(FROM_BYTES[name])
      },
    })
  }
  return request
}
