import type { ScenarioRequest } from '../types.ts'

/** The `Host` every way sends, so apps that echo it answer the same everywhere. */
export const DEFAULT_HOST = 'conformance.local'

/**
 * The header lines a request really carries, identical for every way: the scenario's own,
 * plus `Host` (unless given, or on HTTP/1.0) and `Content-Length` or `Transfer-Encoding: chunked`.
 */
export function requestHeaders(request: ScenarioRequest): Array<[string, string]> {
  const headers: Array<[string, string]> = [...(request.headers ?? [])]
  const has = (name: string): boolean => headers.some(([key]) => key.toLowerCase() === name)
  if (!has('host') && request.httpVersion !== '1.0') headers.unshift(['Host', DEFAULT_HOST])
  if (request.chunks !== undefined) {
    if (!has('transfer-encoding')) headers.push(['Transfer-Encoding', 'chunked'])
  } else if (request.body !== undefined && !has('content-length')) {
    headers.push(['Content-Length', String(toBytes(request.body).byteLength)])
  }
  return headers
}

/** The request as bytes on the wire (RFC 9112 §3, §7.1 for the chunked body). */
export function requestBytes(request: ScenarioRequest): Buffer {
  const head = [`${request.method ?? 'GET'} ${request.target} HTTP/${request.httpVersion ?? '1.1'}`]
  for (const [name, value] of requestHeaders(request)) head.push(`${name}: ${value}`)
  const parts: Buffer[] = [Buffer.from(`${head.join('\r\n')}\r\n\r\n`, 'latin1')]
  if (request.chunks !== undefined) {
    for (const chunk of request.chunks.map(toBytes)) {
      if (chunk.byteLength === 0) continue
      parts.push(Buffer.from(`${chunk.byteLength.toString(16)}\r\n`), chunk, Buffer.from('\r\n'))
    }
    parts.push(Buffer.from('0\r\n\r\n'))
  } else if (request.body !== undefined) {
    parts.push(toBytes(request.body))
  }
  return Buffer.concat(parts)
}

/** Text is UTF-8; bytes stay bytes. */
export function toBytes(value: string | Uint8Array): Buffer {
  return typeof value === 'string' ? Buffer.from(value, 'utf8') : Buffer.from(value)
}
