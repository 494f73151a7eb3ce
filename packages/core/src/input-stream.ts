import { describeArgument } from './check-argument.ts'
import { TsgiArgumentError, TsgiSpecError } from './errors.ts'
import type { InputStream } from './types.ts'

const EMPTY = new Uint8Array(0)
const LF = 0x0a

/**
 * An `InputStream` (`tsgi.input`) over a body source: a whole `Uint8Array`, or an async iterable
 * of chunks such as a de-framed socket body. It pulls one source chunk at a time and only when a
 * read needs more bytes, so it never buffers the whole body unless `read()` asks for all of it,
 * and never pulls past the chunk that ends the request. Concurrent reads are served in call order.
 *
 * @example
 * const input = createInputStream(new TextEncoder().encode('a\nb'))
 * await input.readline() // bytes of 'a\n'
 * await input.read()     // bytes of 'b'
 */
export function createInputStream(source: AsyncIterable<Uint8Array> | Uint8Array): InputStream {
  if (
    !(source instanceof Uint8Array) &&
    typeof (source as AsyncIterable<Uint8Array> | null)?.[Symbol.asyncIterator] !== 'function'
  ) {
    throw new TsgiArgumentError(
      `createInputStream() source must be a Uint8Array or an async iterable of them, got ${describeArgument(source)}`,
    )
  }
  return new SourceInput(source)
}

class SourceInput implements InputStream {
  #source: AsyncIterable<Uint8Array> | undefined
  #iterator: AsyncIterator<Uint8Array> | undefined
  #chunk: Uint8Array
  #offset = 0
  #ended = false
  #queue: Promise<unknown> = Promise.resolve()

  constructor(source: AsyncIterable<Uint8Array> | Uint8Array) {
    if (source instanceof Uint8Array) {
      this.#chunk = source
      this.#ended = true
    } else {
      this.#chunk = EMPTY
      this.#source = source
    }
  }

  read(size?: number): Promise<Uint8Array> {
    checkSize('read', size)
    return this.#serial(() => (size === undefined ? this.#readAll() : this.#readExactly(size)))
  }

  readline(size?: number): Promise<Uint8Array> {
    checkSize('readline', size)
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
      // Leaving a for-await loop early must not cancel the source: the app may read the rest later.
      return: async () => ({ done: true as const, value: undefined }),
    }
  }

  #serial<T>(operation: () => Promise<T>): Promise<T> {
    const result = this.#queue.then(operation)
    this.#queue = result.catch(() => undefined)
    return result
  }

  /** Makes sure unread bytes are buffered; false at the end of the body. */
  async #fill(): Promise<boolean> {
    while (this.#offset >= this.#chunk.byteLength) {
      if (this.#ended) return false
      this.#iterator ??= this.#source![Symbol.asyncIterator]()
      const step = await this.#iterator.next()
      if (step.done) {
        this.#ended = true
        this.#chunk = EMPTY
        this.#offset = 0
        return false
      }
      if (!(step.value instanceof Uint8Array)) {
        throw new TsgiSpecError(
          'input.bytes',
          `tsgi.input sources yield Uint8Array chunks, got ${typeof step.value}`,
        )
      }
      this.#chunk = step.value
      this.#offset = 0
    }
    return true
  }

  /** Up to `max` buffered bytes (pulling one source chunk if none are buffered), without copying. */
  async #take(max: number): Promise<Uint8Array> {
    if (!(await this.#fill())) return EMPTY
    const end = Math.min(this.#chunk.byteLength, this.#offset + max)
    const bytes = this.#chunk.subarray(this.#offset, end)
    this.#offset = end
    return bytes
  }

  async #readExactly(size: number): Promise<Uint8Array> {
    if (size === 0) return EMPTY
    const first = await this.#take(size)
    if (first.byteLength === size || first.byteLength === 0) return first
    const parts = [first]
    let total = first.byteLength
    while (total < size) {
      const part = await this.#take(size - total)
      if (part.byteLength === 0) break
      parts.push(part)
      total += part.byteLength
    }
    return concat(parts, total)
  }

  async #readAll(): Promise<Uint8Array> {
    const parts: Uint8Array[] = []
    let total = 0
    for (;;) {
      const part = await this.#take(Number.POSITIVE_INFINITY)
      if (part.byteLength === 0) break
      parts.push(part)
      total += part.byteLength
    }
    return concat(parts, total)
  }

  async #readLine(size: number): Promise<Uint8Array> {
    const parts: Uint8Array[] = []
    let total = 0
    while (total < size && (await this.#fill())) {
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

function checkSize(method: string, size: number | undefined): void {
  if (size !== undefined && !(Number.isSafeInteger(size) && size >= 0)) {
    throw new TsgiSpecError(
      'input.read-size',
      `tsgi.input.${method}(size) takes no size or a non-negative integer, got ${String(size)}`,
    )
  }
}

function concat(parts: Uint8Array[], total: number): Uint8Array {
  if (parts.length === 1) return parts[0]!
  const out = new Uint8Array(total)
  let at = 0
  for (const part of parts) {
    out.set(part, at)
    at += part.byteLength
  }
  return out
}
