import type { Readable } from 'node:stream'
import type { InputStream } from '@tsgi/core'

const EMPTY = new Uint8Array(0)
const LF = 0x0a

/**
 * `tsgi.input` over a Node `Readable` (an `IncomingMessage`): it pulls one chunk at a time with
 * `read()`, only when the app asks, so the request stream's own backpressure holds and a big
 * upload is never buffered whole. The stream is not touched until the first read: an app that
 * never reads leaves it to node:http, which drains it after the response (`_dump`).
 */
export class ReadableInput implements InputStream {
  #stream: Readable
  #chunk: Uint8Array = EMPTY
  #offset = 0
  #ended = false
  #queue: Promise<unknown> = Promise.resolve()

  constructor(stream: Readable) {
    this.#stream = stream
  }

  read(size?: number): Promise<Uint8Array> {
    return this.#serial(() => this.#readUpTo(size ?? Number.POSITIVE_INFINITY))
  }

  readline(size?: number): Promise<Uint8Array> {
    return this.#serial(() => this.#readLine(size ?? Number.POSITIVE_INFINITY))
  }

  [Symbol.asyncIterator](): AsyncIterator<Uint8Array> {
    return {
      next: () =>
        this.#serial(async () => {
          const chunk = await this.#take(Number.POSITIVE_INFINITY)
          return chunk.byteLength === 0
            ? { done: true as const, value: undefined }
            : { done: false as const, value: chunk }
        }),
      // Leaving a for-await loop early must not end the request: the app may read the rest later.
      return: async () => ({ done: true as const, value: undefined }),
    }
  }

  #serial<T>(operation: () => Promise<T>): Promise<T> {
    const result = this.#queue.then(operation)
    this.#queue = result.catch(() => undefined)
    return result
  }

  /** Up to `max` bytes of what is buffered, pulling one chunk from the stream when nothing is. */
  async #take(max: number): Promise<Uint8Array> {
    if (this.#offset >= this.#chunk.byteLength) {
      const next = await this.#pull()
      if (next === null) return EMPTY
      this.#chunk = next
      this.#offset = 0
    }
    const end = Math.min(this.#chunk.byteLength, this.#offset + max)
    const bytes = this.#chunk.subarray(this.#offset, end)
    this.#offset = end
    return bytes
  }

  #pull(): Promise<Uint8Array | null> {
    if (this.#ended) return Promise.resolve(null)
    const stream = this.#stream
    const chunk = stream.read() as Buffer | null
    if (chunk !== null) return Promise.resolve(chunk)
    if (stream.readableEnded || stream.destroyed) {
      this.#ended = true
      return stream.errored ? Promise.reject(stream.errored) : Promise.resolve(null)
    }
    return new Promise((resolve, reject) => {
      const settle = (): void => {
        stream.off('readable', settle)
        stream.off('end', settle)
        stream.off('error', fail)
        stream.off('close', settle)
        resolve(this.#pull())
      }
      const fail = (error: Error): void => {
        stream.off('readable', settle)
        stream.off('end', settle)
        stream.off('close', settle)
        this.#ended = true
        reject(error)
      }
      stream.on('readable', settle)
      stream.on('end', settle)
      stream.on('error', fail)
      stream.on('close', settle)
    })
  }

  async #readUpTo(size: number): Promise<Uint8Array> {
    const parts: Uint8Array[] = []
    let total = 0
    while (total < size) {
      const part = await this.#take(size - total)
      if (part.byteLength === 0) break
      parts.push(part)
      total += part.byteLength
    }
    return concat(parts, total)
  }

  async #readLine(size: number): Promise<Uint8Array> {
    const parts: Uint8Array[] = []
    let total = 0
    while (total < size) {
      if (this.#offset >= this.#chunk.byteLength) {
        const next = await this.#pull()
        if (next === null) break
        this.#chunk = next
        this.#offset = 0
      }
      const newline = this.#chunk.indexOf(LF, this.#offset)
      const lineEnd = newline === -1 ? this.#chunk.byteLength : newline + 1
      const part = await this.#take(Math.min(lineEnd - this.#offset, size - total))
      parts.push(part)
      total += part.byteLength
      if (part[part.byteLength - 1] === LF) break
    }
    return concat(parts, total)
  }
}

function concat(parts: Uint8Array[], total: number): Uint8Array {
  if (parts.length === 1) return parts[0]!
  if (parts.length === 0) return EMPTY
  return Buffer.concat(parts, total)
}
