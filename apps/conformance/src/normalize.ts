import { createHash } from 'node:crypto'
import type { NormalizedResponse } from './types.ts'

/** Bodies above this size are compared by hash, so a diff stays readable. */
const INLINE_BODY_BYTES = 16 * 1024

/** Headers that say when, not what: never compared. */
const DROPPED = new Set(['date'])

/** Parts of a response before normalisation, as any transport can supply them. */
export interface ResponseParts {
  status: number
  reason: string
  headers: ReadonlyArray<readonly [string, string]>
  body: Uint8Array
  framing?: NormalizedResponse['framing']
  interim?: number[]
}

/**
 * Reduces a response to comparable facts: header names lower-cased and sorted (RFC 9110 §5.1:
 * case-insensitive; §5.3: order only matters between fields of one name, which is kept, so the
 * `Set-Cookie` order survives), `Date` dropped, the body as text or a digest.
 */
export function normalize(parts: ResponseParts): NormalizedResponse {
  const headers: Record<string, string[]> = {}
  for (const [name, value] of parts.headers) {
    const key = name.toLowerCase()
    if (DROPPED.has(key)) continue
    headers[key] ??= []
    headers[key].push(value)
  }
  const sorted = Object.fromEntries(Object.entries(headers).sort(([a], [b]) => (a < b ? -1 : 1)))
  const response: NormalizedResponse = {
    status: parts.status,
    reason: parts.reason,
    headers: sorted,
    body: describeBody(parts.body),
  }
  if (parts.framing !== undefined) response.framing = parts.framing
  if (parts.interim !== undefined) response.interim = parts.interim
  return response
}

/** Printable UTF-8 stays text; other bytes become base64; big bodies become a digest. */
export function describeBody(body: Uint8Array): string {
  const bytes = Buffer.from(body.buffer, body.byteOffset, body.byteLength)
  if (bytes.byteLength > INLINE_BODY_BYTES) return `sha256:${sha256(bytes)} (${bytes.byteLength} bytes)`
  const text = bytes.toString('utf8')
  // Text, unless a byte did not survive the UTF-8 round trip or is a control other than \t \n \r.
  const printable = Buffer.from(text, 'utf8').equals(bytes) && !bytes.some(isControl)
  return printable ? text : `base64:${bytes.toString('base64')}`
}

function isControl(byte: number): boolean {
  return byte < 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0d
}

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex')
}
