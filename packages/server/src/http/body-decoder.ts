import { BodyTooLargeError } from '../errors.ts'

/**
 * Incremental request-body decoder: fed whatever bytes have arrived, it hands body bytes to
 * `onData` and returns how far it consumed. Bytes past the message are never consumed, so a
 * pipelined request after the body stays with the caller. A partial line it cannot decode yet
 * is left unconsumed too; the caller presents it again with more bytes.
 */
export interface BodyDecoder {
  /** The whole message body has been decoded. */
  readonly done: boolean
  /** Decodes from `bytes[start..]`; returns the offset of the first byte not consumed. */
  decode(bytes: Buffer, start: number, onData: (chunk: Buffer) => void): number
}

/** A body of exactly `length` bytes (RFC 9112 §6.2). */
export class ContentLengthDecoder implements BodyDecoder {
  #remaining: number

  constructor(length: number) {
    this.#remaining = length
  }

  get done(): boolean {
    return this.#remaining === 0
  }

  decode(bytes: Buffer, start: number, onData: (chunk: Buffer) => void): number {
    const take = Math.min(this.#remaining, bytes.length - start)
    if (take === 0) return start
    this.#remaining -= take
    onData(start === 0 && take === bytes.length ? bytes : bytes.subarray(start, start + take))
    return start + take
  }
}

/** Counts decoded bytes against `maxBodyBytes`. */
export function checkBodySize(total: number, max: number | null): void {
  if (max !== null && total > max) throw new BodyTooLargeError(max)
}
