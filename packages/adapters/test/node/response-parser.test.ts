import { describe, expect, it } from 'vitest'
import type { ResponseHead } from '../../src/node-bridge/response-head.ts'
import { ResponseParser } from '../../src/node-bridge/response-parser.ts'

/** Feeds `wire` split at `cuts` and returns what the parser recognised. */
function parse(wire: string, cuts: number[] = []): { heads: ResponseHead[]; body: string } {
  const bytes = Buffer.from(wire, 'latin1')
  const parser = new ResponseParser()
  const heads: ResponseHead[] = []
  let body = ''
  const sink = {
    head: (head: ResponseHead) => heads.push(head) > 0 && head.code >= 200,
    data: (chunk: Uint8Array) => {
      body += Buffer.from(chunk).toString('latin1')
    },
  }
  let at = 0
  for (const cut of [...cuts, bytes.length]) {
    parser.feed(bytes.subarray(at, cut), sink)
    at = cut
  }
  return { heads, body }
}

const CHUNKED =
  'HTTP/1.1 103 Early Hints\r\nLink: </a.css>; rel=preload\r\n\r\n' +
  'HTTP/1.1 200 OK\r\nSet-Cookie: a=1\r\nX-Latin: caf\xe9\r\nConnection: keep-alive, X-Hop\r\nX-Hop: 1\r\n' +
  'Keep-Alive: timeout=5\r\nTransfer-Encoding: chunked\r\nSet-Cookie: b=2\r\n\r\n' +
  '5\r\nhello\r\n1;ext=1\r\n\xff\r\n0\r\nX-Trailer: t\r\n\r\n'

describe('ResponseParser', () => {
  it('splits informational and final heads, drops hop-by-hop fields and de-chunks the body', () => {
    const { heads, body } = parse(CHUNKED)
    expect(heads).toEqual([
      {
        code: 103,
        status: '103 Early Hints',
        headers: [['Link', '</a.css>; rel=preload']],
        chunked: false,
        sized: false,
        length: Number.NaN,
      },
      {
        code: 200,
        status: '200 OK',
        headers: [
          ['Set-Cookie', 'a=1'],
          ['X-Latin', 'caf\xe9'],
          ['Set-Cookie', 'b=2'],
        ],
        chunked: true,
        sized: false,
        length: Number.NaN,
      },
    ])
    expect(body).toBe('hello\xff')
  })

  it('gives the same result however the bytes are split', () => {
    const whole = parse(CHUNKED)
    for (let cut = 1; cut < CHUNKED.length; cut++) {
      expect(parse(CHUNKED, [cut])).toEqual(whole)
    }
    const everyByte = Array.from({ length: CHUNKED.length - 1 }, (_, i) => i + 1)
    expect(parse(CHUNKED, everyByte)).toEqual(whole)
  })

  it('passes a Content-Length or close-delimited body through untouched', () => {
    const wire = 'HTTP/1.1 599 unknown\r\nContent-Length: 7\r\n\r\n0\r\n\r\nab'
    expect(parse(wire, [10, 45])).toEqual({
      heads: [
        {
          code: 599,
          status: '599 unknown',
          headers: [['Content-Length', '7']],
          chunked: false,
          sized: true,
          length: 7,
        },
      ],
      body: '0\r\n\r\nab',
    })
  })
})

describe('ResponseParser fed strings, as node writes them to the stand-in socket', () => {
  function parseText(writes: Array<[string, BufferEncoding]>): { heads: ResponseHead[]; body: Buffer } {
    const parser = new ResponseParser()
    const heads: ResponseHead[] = []
    const chunks: Buffer[] = []
    const sink = {
      head: (head: ResponseHead) => heads.push(head) > 0 && head.code >= 200,
      data: (c: Uint8Array) => chunks.push(Buffer.from(c)),
    }
    for (const [text, encoding] of writes) parser.feed(text, sink, encoding)
    return { heads, body: Buffer.concat(chunks) }
  }

  it('reads the same head and body bytes from a string as from the bytes node would send', () => {
    // A head joined to a utf8 body: node puts a non-ASCII header value on the wire as UTF-8.
    // U+FFFD is what node's own mangling of a latin-1 filename leaves (nodejs/node#46528): a
    // latin-1 write sends its low byte, a utf8 write its three UTF-8 bytes.
    const wire = 'HTTP/1.1 200 OK\r\nX-Name: café\r\nX-File: na\ufffdve\r\nContent-Length: 6\r\n\r\nnaïve'
    for (const encoding of ['utf8', 'latin1'] as const) {
      const fromText = parseText([[wire, encoding]])
      const fromBytes = parse(Buffer.from(wire, encoding).toString('latin1'))
      expect(fromText.heads, encoding).toEqual(fromBytes.heads)
      expect(fromText.body.toString('latin1'), encoding).toBe(fromBytes.body)
    }
  })

  it('parses an early hint and the final head written as separate strings, and a hex body', () => {
    const { heads, body } = parseText([
      ['HTTP/1.1 103 Early Hints\r\nLink: </a.css>\r\n\r\n', 'latin1'],
      ['HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n', 'latin1'],
      ['ff00', 'hex'],
    ])
    expect(heads.map((h) => h.code)).toEqual([103, 200])
    expect([...body]).toEqual([0xff, 0x00])
  })
})
