import type { HeaderList } from '@tsgi/core'
import { HOP_BY_HOP_FIELDS } from '@tsgi/core'

/**
 * One response head as node:http serialised it: status line and field lines. A class, not an
 * object literal: one is made per request (docs/benchmarks.md, "Per-request objects").
 */
export class ResponseHead {
  /** The status code, e.g. `200`; `1xx` heads are informational (103 Early Hints). */
  readonly code: number
  /** `"200 OK"`: code and reason phrase exactly as node wrote them. */
  readonly status: string
  /** The fields, in wire order, hop-by-hop fields removed. */
  readonly headers: HeaderList
  /** Whether node framed the body with `Transfer-Encoding: chunked` (the bridge de-chunks it). */
  readonly chunked: boolean
  /** Whether the head carries a `Content-Length`. */
  readonly sized: boolean
  /** The number its `Content-Length` says, NaN without one (or with one that is no number). */
  readonly length: number

  constructor(
    code: number,
    status: string,
    headers: HeaderList,
    chunked: boolean,
    sized: boolean,
    length: number,
  ) {
    this.code = code
    this.status = status
    this.headers = headers
    this.chunked = chunked
    this.sized = sized
    this.length = length
  }
}

/**
 * Parses the latin-1 text of a response head (`HTTP/1.1 200 OK\r\nName: value\r\n...`, without
 * the blank line) back into status and fields. Field values lose their surrounding whitespace,
 * as every HTTP recipient strips it (RFC 9110 §5.5). Fields named in `Connection` are hop-by-hop
 * too (RFC 9110 §7.6.1) and dropped with the rest; `Connection: close` stays, alone and last.
 */
export function parseResponseHead(text: string): ResponseHead {
  // One pass over the text with indexOf: no array of lines, no lower-casing of ordinary names.
  let lineEnd = text.indexOf('\r\n')
  if (lineEnd === -1) lineEnd = text.length
  // `HTTP/1.1 200 OK`: node always writes the version, one space, three digits, one space.
  const status = text.slice(text.indexOf(' ') + 1, lineEnd)
  const code = Number.parseInt(status.slice(0, 3), 10)
  const headers: HeaderList = []
  let chunked = false
  let sized = false
  let length = Number.NaN
  let connectionTokens: string[] | undefined
  let close = false
  let at = lineEnd + 2
  while (at < text.length) {
    let end = text.indexOf('\r\n', at)
    if (end === -1) end = text.length
    const colon = text.indexOf(':', at)
    if (colon > at && colon < end) {
      const name = text.slice(at, colon)
      const value = trimmed(text, colon + 1, end)
      // Only a name as long as a hop-by-hop one is lower-cased and looked up.
      // Node adds `Connection`, `Keep-Alive` and `Transfer-Encoding` for a socket the gateway server
      // owns: hop-by-hop (RFC 9110 §7.6.1), so dropped; the server frames the body. Content-Length stays.
      const lower = HOP_BY_HOP_LENGTHS.has(name.length) ? name.toLowerCase() : ''
      if (lower !== '' && HOP_BY_HOP_FIELDS.has(lower)) {
        if (lower === 'transfer-encoding') chunked = /(?:^|,)\s*chunked\s*$/i.test(value)
        else if (lower === 'connection') {
          // `close` (node writes it for `res.shouldKeepAlive = false`, or the app set it) is the one
          // hop-by-hop field a gateway app may send: the server then closes after the response
          // (SPEC server.connection-close). A lone `keep-alive` or `close` names no field to drop.
          if (CONNECTION_OPTION.test(value)) close ||= CLOSE_OPTION.test(value)
          else {
            connectionTokens = value.toLowerCase().split(/\s*,\s*/)
            close ||= connectionTokens.includes('close')
          }
        }
      } else {
        if (name.length === 14 && name.toLowerCase() === 'content-length') {
          sized = true
          length = Number(value)
        }
        headers.push([name, value])
      }
    }
    at = end + 2
  }
  const kept = connectionTokens ? headers.filter(([name]) => !isListed(name, connectionTokens)) : headers
  if (close) kept.push(['Connection', 'close'])
  return new ResponseHead(code, status, kept, chunked, sized, length)
}

const CONNECTION_OPTION = /^(?:keep-alive|close)$/i
// node writes `Connection: keep-alive` on nearly every response: read without a lower-cased copy.
const CLOSE_OPTION = /^close$/i

const HOP_BY_HOP_LENGTHS = new Set([...HOP_BY_HOP_FIELDS].map((name) => name.length))

/** `text.slice(start, end)` without surrounding spaces and tabs (RFC 9110 §5.5 OWS). */
function trimmed(text: string, start: number, end: number): string {
  while (start < end && isWhitespace(text.charCodeAt(start))) start++
  while (end > start && isWhitespace(text.charCodeAt(end - 1))) end--
  return text.slice(start, end)
}

function isWhitespace(code: number): boolean {
  return code === 0x20 || code === 0x09
}

function isListed(name: string, tokens: string[]): boolean {
  const lower = name.toLowerCase()
  // `close` and `keep-alive` are connection options, not field names, in every real response.
  return tokens.includes(lower) && lower !== 'close'
}
