import { createHash } from 'node:crypto'
import { LIVE_SCRIPT } from './live-script.ts'
import type { Reply } from './reply.ts'
import { STYLESHEET } from './stylesheet.ts'

interface Asset {
  contentType: string
  bytes: Uint8Array
  etag: string
}

function asset(contentType: string, text: string): Asset {
  const bytes = new TextEncoder().encode(text)
  // A strong validator from the content (RFC 9110 §8.8.3): it changes exactly when the file does.
  const etag = `"${createHash('sha256').update(bytes).digest('base64url').slice(0, 22)}"`
  return { contentType, bytes, etag }
}

/** The files under `/static/`, by name. */
export const STATIC_ASSETS: ReadonlyMap<string, Asset> = new Map([
  ['style.css', asset('text/css; charset=utf-8', STYLESHEET)],
  ['guestbook.js', asset('text/javascript; charset=utf-8', LIVE_SCRIPT)],
])

/**
 * `GET /static/<file>`: cacheable for an hour, then revalidated by ETag, answered `304` when
 * `If-None-Match` names it (RFC 9110 §13.1.2). `undefined` for an unknown file.
 */
export function staticAsset(file: string, ifNoneMatch: string | undefined): Reply | undefined {
  const found = STATIC_ASSETS.get(file)
  if (!found) return undefined
  const headers: Reply['headers'] = [
    ['ETag', found.etag],
    ['Cache-Control', 'public, max-age=3600'],
  ]
  const matches = ifNoneMatch?.split(',').some((tag) => tag.trim() === '*' || tag.trim() === found.etag)
  if (matches) return { status: 304, headers, body: new Uint8Array(0) }
  return {
    status: 200,
    headers: [
      ['Content-Type', found.contentType],
      ['Content-Length', String(found.bytes.byteLength)],
      ...headers,
    ],
    body: found.bytes,
  }
}
