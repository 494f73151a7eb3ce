import { parseResponseHead, type ResponseHead } from './response-head.ts'

/** Where {@link ResponseParser} delivers what it recognised, in wire order. */
export interface ResponseSink {
  /**
   * A complete head: informational (`1xx`) or final. Returns whether it was the final one: a
   * `1xx` is, when the app made it its status (`res.statusCode = 100`), not an interim response.
   */
  head(head: ResponseHead): boolean
  /** Body bytes, de-chunked; a view into the written buffer, never a copy. */
  data(chunk: Uint8Array): void
}

type State = 'head' | 'raw' | 'size' | 'chunk' | 'chunk-end' | 'trailers' | 'done'

const CRLF = Buffer.from('\r\n')
const BLANK_LINE = Buffer.from('\r\n\r\n')
// Encodings node writes a head in (alone as latin-1, or joined to a utf8 or latin-1 body).
const HEAD_ENCODINGS = new Set(['latin1', 'binary', 'utf8', 'utf-8'])
const NOT_ASCII = /[\u0080-\uffff]/
const NOT_LATIN1 = /[\u0100-\uffff]/

/**
 * Reads back what `http.ServerResponse` wrote to its socket: any `1xx` heads, the final head,
 * then the body, undoing node's own `Transfer-Encoding: chunked` framing (RFC 9112 §7.1) so each
 * `res.write()` comes out as one body chunk. Parsing the serialised bytes, rather than patching
 * `ServerResponse` methods, sees exactly what node would have sent: headers added by `writeHead`
 * with raw arrays, node's own `Content-Length` and `Date`, `flushHeaders`, `writeEarlyHints`; and it
 * cannot be lost when Express or Koa swap the response's prototype. Pure and incremental: feed it
 * the writes as they come, split anywhere.
 */
export class ResponseParser {
  #state: State = 'head'
  #pending: Buffer | undefined
  #remaining = 0

  /** True once the final head has gone by. */
  get headDone(): boolean {
    return this.#state !== 'head'
  }

  /**
   * Feeds one write. A string (node writes its head as one, often joined to the body) is read as
   * text while heads are expected, so the head is never turned into bytes and back; the rest of it
   * becomes bytes in the `encoding` node wrote it with.
   */
  feed(input: Buffer | string, sink: ResponseSink, encoding: BufferEncoding = 'latin1'): void {
    if (typeof input === 'string') {
      if (this.#state === 'head' && this.#pending === undefined && HEAD_ENCODINGS.has(encoding)) {
        input = this.#headsFromText(input, encoding, sink)
        if (input.length === 0) return
      }
      input = Buffer.from(input, encoding)
    }
    const buf = this.#pending ? Buffer.concat([this.#pending, input]) : input
    this.#pending = undefined
    let at = 0
    while (at < buf.length) {
      switch (this.#state) {
        case 'head': {
          const end = buf.indexOf(BLANK_LINE, at)
          if (end === -1) {
            this.#keep(buf, at)
            return
          }
          const head = parseResponseHead(buf.toString('latin1', at, end))
          at = end + 4
          // 1xx heads precede the final one (RFC 9110 §15.2); 101 would switch protocols, which a
          // gateway app cannot do, so it is treated like any other informational head.
          if (sink.head(head)) this.#state = head.chunked ? 'size' : 'raw'
          break
        }
        case 'raw':
          sink.data(at === 0 ? buf : buf.subarray(at))
          return
        case 'size': {
          const end = buf.indexOf(CRLF, at)
          if (end === -1) {
            this.#keep(buf, at)
            return
          }
          // Chunk extensions (`;name=value`) are ignored, as RFC 9112 §7.1.1 allows.
          const size = Number.parseInt(buf.toString('latin1', at, end).split(';', 1)[0]!, 16)
          at = end + 2
          this.#remaining = size
          this.#state = size > 0 ? 'chunk' : 'trailers'
          break
        }
        case 'chunk': {
          const take = Math.min(this.#remaining, buf.length - at)
          sink.data(buf.subarray(at, at + take))
          at += take
          this.#remaining -= take
          if (this.#remaining === 0) this.#state = 'chunk-end'
          break
        }
        case 'chunk-end':
          if (buf.length - at < 2) {
            this.#keep(buf, at)
            return
          }
          at += 2
          this.#state = 'size'
          break
        case 'trailers': {
          // Trailer fields (`res.addTrailers`) have no place in a TSGI response; they are dropped.
          const end = buf.indexOf(CRLF, at)
          if (end === -1) {
            this.#keep(buf, at)
            return
          }
          this.#state = end === at ? 'done' : 'trailers'
          at = end + 2
          break
        }
        case 'done':
          return
      }
    }
  }

  /** Parses the complete heads at the start of `text`; returns what follows them. */
  #headsFromText(text: string, encoding: BufferEncoding, sink: ResponseSink): string {
    let at = 0
    while (this.#state === 'head') {
      const end = text.indexOf('\r\n\r\n', at)
      if (end === -1) break
      let headText = text.slice(at, end)
      // Read the bytes the socket would have sent: a utf8 write puts a non-ASCII value on the wire
      // as UTF-8, a latin-1 write keeps the low byte of a character above U+00FF (node's own
      // header mangling makes those, nodejs/node#46528: a latin-1 filename becomes U+FFFD).
      const wide = encoding === 'latin1' || encoding === 'binary' ? NOT_LATIN1 : NOT_ASCII
      if (wide.test(headText)) headText = Buffer.from(headText, encoding).toString('latin1')
      const head = parseResponseHead(headText)
      at = end + 4
      if (sink.head(head)) this.#state = head.chunked ? 'size' : 'raw'
    }
    return at === 0 ? text : text.slice(at)
  }

  #keep(buf: Buffer, at: number): void {
    this.#pending = buf.subarray(at)
  }
}
