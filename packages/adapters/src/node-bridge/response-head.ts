import type { HeaderList } from '@tsgi/core'

/** One response head as node:http serialised it: status line and field lines. */
export interface ResponseHead {
  /** The status code, e.g. `200`; `1xx` heads are informational (103 Early Hints). */
  code: number
  /** `"200 OK"`: code and reason phrase exactly as node wrote them. */
  status: string
  /** The fields, in wire order, hop-by-hop fields removed. */
  headers: HeaderList
  /** Whether node framed the body with `Transfer-Encoding: chunked` (the bridge de-chunks it). */
  chunked: boolean
}

/**
 * Hop-by-hop fields (RFC 9110 §7.6.1) belong to node's connection with its peer, not to the
 * message: node adds `Connection`, `Keep-Alive` and `Transfer-Encoding` for a socket the gateway
 * server owns, so they are dropped here and the server frames the body itself (TSGI forbids apps
 * to send them, PEP 3333 "Other HTTP Features"). `Content-Length` is end-to-end and kept.
 */
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'proxy-connection',
  'te',
  'trailer',
  'trailers',
  'transfer-encoding',
  'upgrade',
])

/**
 * Parses the latin-1 text of a response head (`HTTP/1.1 200 OK\r\nName: value\r\n...`, without
 * the blank line) back into status and fields. Field values lose their surrounding whitespace,
 * as every HTTP recipient strips it (RFC 9110 §5.5). Fields named in `Connection` are hop-by-hop
 * too (RFC 9110 §7.6.1) and dropped with the rest.
 */
export function parseResponseHead(text: string): ResponseHead {
  const lines = text.split('\r\n')
  const statusLine = lines[0] ?? ''
  // `HTTP/1.1 200 OK`: node always writes the version, one space, three digits, one space.
  const firstSpace = statusLine.indexOf(' ')
  const status = statusLine.slice(firstSpace + 1)
  const code = Number.parseInt(status.slice(0, 3), 10)
  const headers: HeaderList = []
  let chunked = false
  let connectionTokens: string[] | undefined
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i]!
    const colon = line.indexOf(':')
    if (colon <= 0) continue
    const name = line.slice(0, colon)
    const value = line.slice(colon + 1).trim()
    const lower = name.toLowerCase()
    if (HOP_BY_HOP.has(lower)) {
      if (lower === 'transfer-encoding') chunked = /(?:^|,)\s*chunked\s*$/i.test(value)
      else if (lower === 'connection') connectionTokens = value.toLowerCase().split(/\s*,\s*/)
      continue
    }
    headers.push([name, value])
  }
  return {
    code,
    status,
    headers: connectionTokens ? headers.filter(([name]) => !isListed(name, connectionTokens)) : headers,
    chunked,
  }
}

function isListed(name: string, tokens: string[]): boolean {
  const lower = name.toLowerCase()
  // `close` and `keep-alive` are connection options, not field names, in every real response.
  return tokens.includes(lower) && lower !== 'close'
}
