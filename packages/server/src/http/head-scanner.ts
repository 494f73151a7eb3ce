import { HeaderFieldTooLargeError, RequestLineTooLongError, TooManyHeadersError } from '../errors.ts'
import { parseFieldLine } from './field-line.ts'
import type { HeadLimits } from './request-head.ts'
import { parseRequestLine } from './request-line.ts'
import { latin1 } from './syntax.ts'
import { parseTarget } from './target.ts'

const CRLFCRLF = Buffer.from('\r\n\r\n')

/**
 * Finds the end of a request head that arrives in pieces, and enforces the head limits on
 * what has arrived so far, so an oversized head fails as soon as it is oversized instead of
 * being buffered to the end. Incremental: each byte is looked at once however the head is
 * split. Pure: no I/O; `reset()` between requests.
 */
export class HeadScanner {
  /** Offset of the first line not yet complete. */
  #lineStart = 0
  #lines = 0

  /** Forgets the previous head. */
  reset(): void {
    this.#lineStart = 0
    this.#lines = 0
  }

  /**
   * Scans `bytes[start, bytes.length)` (the same request, possibly grown since the last call)
   * and returns the offset just past the blank line ending the head, or -1 when incomplete.
   * A line ends at LF; a bare LF is let through here and rejected by `parseRequestHead`.
   */
  scan(bytes: Uint8Array, start: number, limits: HeadLimits): number {
    const buf = bytes as Buffer
    if (this.#lines === 0) {
      // Fast path: the whole head in hand (the usual first packet). One indexOf instead of a
      // scan per line; parseRequestHead checks the same limits on the complete head.
      const end = buf.indexOf(CRLFCRLF, start)
      if (end !== -1) return end + 4
    }
    let lineStart = start + this.#lineStart
    for (;;) {
      const lf = buf.indexOf(10, lineStart)
      const lineEnd = lf === -1 ? buf.length : lf
      // The CR of CRLF is not part of the line's size (a partial line may end in its CR).
      const size =
        lineEnd > lineStart && buf[lineEnd - 1] === 13 ? lineEnd - lineStart - 1 : lineEnd - lineStart
      this.#check(size, limits)
      if (lf === -1) {
        this.#lineStart = lineStart - start
        return -1
      }
      if (size === 0 && this.#lines > 0) return lf + 1
      // Fail fast on a complete but malformed line instead of waiting for the rest of the head
      // (a stray "PROXY ..." line would otherwise sit until the headers timeout).
      const line = latin1(buf, lineStart, lineStart + size)
      if (this.#lines === 0) {
        const { method, target } = parseRequestLine(line)
        parseTarget(method, target)
      } else {
        parseFieldLine(line, [])
      }
      this.#lines++
      lineStart = lf + 1
    }
  }

  #check(size: number, limits: HeadLimits): void {
    // Limits count the line with its CRLF, which a partial line has yet to receive.
    const total = size + 2
    if (this.#lines === 0) {
      const max = limits.maxRequestLineBytes
      if (max !== null && total > max) throw new RequestLineTooLongError(max)
      return
    }
    const max = limits.maxHeaderFieldBytes
    if (max !== null && total > max) throw new HeaderFieldTooLargeError(max)
    const count = limits.maxHeaderCount
    // This line is header number `#lines` (the request line is line 0).
    if (count !== null && size > 0 && this.#lines > count) throw new TooManyHeadersError(count)
  }
}
