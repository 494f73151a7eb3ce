import { ContentLengthDecoder } from '../../src/http/body-decoder.ts'
import { ChunkedDecoder } from '../../src/http/chunked-decoder.ts'
import { HeadScanner } from '../../src/http/head-scanner.ts'
import { parseRequestHead } from '../../src/http/request-head.ts'
import { type Limits, resolveLimits } from '../../src/limits.ts'

/** A request as the pure pipeline saw it. */
export interface ParsedRequest {
  method: string
  target: string
  version: string
  headers: [string, string][]
  /** latin-1 string of the decoded body */
  body: string
  trailers?: [string, string][]
}

/** What feeding a byte stream through scanner, parser and decoders produced. */
export interface StreamResult {
  requests: ParsedRequest[]
  error?: { code: string; status: number }
}

/**
 * Drives the pure HTTP pieces the way the connection does (leading CRLFs skipped, head
 * scanned incrementally, body decoded incrementally), over `pieces` in order, with no socket.
 */
export function parseStream(pieces: Buffer[], partial: Partial<Limits> = {}): StreamResult {
  const limits = resolveLimits(partial)
  const requests: ParsedRequest[] = []
  const scanner = new HeadScanner()
  let buf = Buffer.alloc(0)
  let inHead = false
  let current: {
    req: ParsedRequest
    decoder: ContentLengthDecoder | ChunkedDecoder
    parts: Buffer[]
  } | null = null
  try {
    for (const piece of pieces) {
      buf = Buffer.concat([buf, piece])
      for (;;) {
        if (current !== null) {
          const pos = current.decoder.decode(buf, 0, (c) => current!.parts.push(Buffer.from(c)))
          buf = buf.subarray(pos)
          if (!current.decoder.done) break
          current.req.body = Buffer.concat(current.parts).toString('latin1')
          if (current.decoder instanceof ChunkedDecoder && current.decoder.trailers.length > 0) {
            current.req.trailers = pairs(current.decoder.trailers)
          }
          requests.push(current.req)
          current = null
        }
        if (!inHead) {
          while (buf.length >= 2 && buf[0] === 13 && buf[1] === 10) buf = buf.subarray(2)
          if (buf.length === 0 || (buf.length === 1 && buf[0] === 13)) break
          inHead = true
          scanner.reset()
        }
        const end = scanner.scan(buf, 0, limits)
        if (end === -1) break
        const head = parseRequestHead(buf, 0, end, limits)
        buf = buf.subarray(end)
        inHead = false
        const req: ParsedRequest = {
          method: head.method,
          target: head.rawTarget,
          version: head.minor === 1 ? 'HTTP/1.1' : 'HTTP/1.0',
          headers: pairs(head.headers),
          body: '',
        }
        const f = head.framing
        if (f.body === 'none') requests.push(req)
        else {
          const decoder =
            f.body === 'length' ? new ContentLengthDecoder(f.contentLength) : new ChunkedDecoder(limits)
          current = { req, decoder, parts: [] }
        }
      }
    }
  } catch (error) {
    const e = error as { code?: string; status?: number }
    if (typeof e.code !== 'string') throw error
    return { requests, error: { code: e.code, status: e.status ?? 0 } }
  }
  return { requests }
}

function pairs(flat: string[]): [string, string][] {
  const out: [string, string][] = []
  for (let i = 0; i < flat.length; i += 2) out.push([flat[i]!, flat[i + 1]!])
  return out
}
