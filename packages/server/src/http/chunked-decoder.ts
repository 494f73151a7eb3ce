import {
  ForbiddenTrailerError,
  HeaderFieldTooLargeError,
  InvalidChunkExtensionError,
  InvalidChunkSizeError,
  MissingChunkTerminatorError,
  TooManyHeadersError,
} from '../errors.ts'
import type { Limits } from '../limits.ts'
import { type BodyDecoder, checkBodySize } from './body-decoder.ts'
import { parseFieldLine } from './field-line.ts'
import { latin1 } from './syntax.ts'

type State = 'size' | 'data' | 'data-crlf' | 'trailer' | 'done'

const SIZE_LINE = /^([0-9A-Fa-f]+)(.*)$/s
// RFC 9112 §7.1.1: chunk-ext = *( BWS ";" BWS name [ BWS "=" BWS ( token / quoted-string ) ] )
const CHUNK_EXT =
  /^(?:[ \t]*;[ \t]*[!#$%&'*+\-.^_`|~0-9A-Za-z]+(?:[ \t]*=[ \t]*(?:[!#$%&'*+\-.^_`|~0-9A-Za-z]+|"(?:[\t \x21\x23-\x5b\x5d-\x7e\x80-\xff]|\\[\t \x21-\x7e\x80-\xff])*"))?)*$/
// 13 hex digits stay below 2^53: anything longer is an overflow attempt.
const MAX_SIZE_DIGITS = 13

/**
 * Fields that must never arrive as trailers: they frame, route or control the message
 * (RFC 9110 §6.5.1). Trailers are validated and then dropped, never merged into the headers;
 * these are refused outright because a peer that merges them would be smuggled.
 */
const FORBIDDEN_TRAILERS = new Set([
  'content-length',
  'transfer-encoding',
  'host',
  'trailer',
  'te',
  'connection',
  'keep-alive',
  'upgrade',
  'proxy-connection',
  'expect',
  'content-encoding',
  'content-range',
  'authorization',
  'proxy-authorization',
  'cookie',
])

/** The `chunked` transfer coding (RFC 9112 §7.1), decoded incrementally. */
export class ChunkedDecoder implements BodyDecoder {
  #state: State = 'size'
  #remaining = 0
  #total = 0
  #limits: Pick<Limits, 'maxHeaderCount' | 'maxHeaderFieldBytes' | 'maxBodyBytes'>
  /** Trailer fields, flat `[name, value, ...]`: validated, kept apart from the headers. */
  readonly trailers: string[] = []

  constructor(limits: Pick<Limits, 'maxHeaderCount' | 'maxHeaderFieldBytes' | 'maxBodyBytes'>) {
    this.#limits = limits
  }

  get done(): boolean {
    return this.#state === 'done'
  }

  decode(bytes: Buffer, start: number, onData: (chunk: Buffer) => void): number {
    let pos = start
    while (pos < bytes.length) {
      switch (this.#state) {
        case 'size': {
          const line = this.#line(bytes, pos)
          if (line === null) return pos
          pos += line.length + 2
          this.#size(line)
          break
        }
        case 'data': {
          const take = Math.min(this.#remaining, bytes.length - pos)
          this.#remaining -= take
          onData(bytes.subarray(pos, pos + take))
          pos += take
          if (this.#remaining === 0) this.#state = 'data-crlf'
          break
        }
        case 'data-crlf':
          if (bytes[pos] !== 13) throw new MissingChunkTerminatorError()
          if (pos + 1 === bytes.length) return pos
          if (bytes[pos + 1] !== 10) throw new MissingChunkTerminatorError()
          pos += 2
          this.#state = 'size'
          break
        case 'trailer': {
          const line = this.#line(bytes, pos)
          if (line === null) return pos
          pos += line.length + 2
          if (line === '') this.#state = 'done'
          else this.#trailer(line)
          break
        }
        case 'done':
          return pos
      }
    }
    return pos
  }

  /** The next CRLF-terminated line (CRLF removed), or null while it is incomplete. */
  #line(bytes: Buffer, pos: number): string | null {
    const lf = bytes.indexOf(10, pos)
    const max = this.#limits.maxHeaderFieldBytes
    if (lf === -1) {
      // Limits count the line with its CRLF, which a partial line has yet to receive.
      const size = bytes.length - pos - (bytes[bytes.length - 1] === 13 ? 1 : 0)
      if (max !== null && size + 2 > max) this.#tooLong(bytes, pos)
      return null
    }
    // A bare LF ends nothing: the size line or trailer is malformed.
    if (lf === pos || bytes[lf - 1] !== 13) {
      if (this.#state === 'size') throw new InvalidChunkSizeError(latin1(bytes, pos, lf))
      throw new MissingChunkTerminatorError()
    }
    if (max !== null && lf + 1 - pos > max) this.#tooLong(bytes, pos)
    return latin1(bytes, pos, lf - 1)
  }

  #tooLong(bytes: Buffer, pos: number): never {
    if (this.#state === 'size') throw new InvalidChunkSizeError(latin1(bytes, pos, pos + 64))
    throw new HeaderFieldTooLargeError(this.#limits.maxHeaderFieldBytes!)
  }

  #size(line: string): void {
    const m = SIZE_LINE.exec(line)
    if (m === null) throw new InvalidChunkSizeError(line)
    const ext = m[2]!
    if (ext !== '' && !CHUNK_EXT.test(ext)) {
      // "5 " or "5_0": junk right after the digits is a bad size, not a bad extension.
      if (ext.indexOf(';') === -1) throw new InvalidChunkSizeError(line)
      throw new InvalidChunkExtensionError(line)
    }
    const digits = m[1]!.replace(/^0+/, '')
    if (digits.length > MAX_SIZE_DIGITS) throw new InvalidChunkSizeError(line)
    const size = digits === '' ? 0 : Number.parseInt(digits, 16)
    if (size === 0) {
      this.#state = 'trailer'
      return
    }
    this.#total += size
    checkBodySize(this.#total, this.#limits.maxBodyBytes)
    this.#remaining = size
    this.#state = 'data'
  }

  #trailer(line: string): void {
    const before = this.trailers.length
    parseFieldLine(line, this.trailers)
    const name = this.trailers[before]!.toLowerCase()
    if (FORBIDDEN_TRAILERS.has(name)) throw new ForbiddenTrailerError(name)
    const max = this.#limits.maxHeaderCount
    if (max !== null && this.trailers.length > max * 2) throw new TooManyHeadersError(max)
  }
}
