import type { HeaderList } from '@tsgi/core'

/** A complete response, framework-neutral: each app copies it onto its own response object. */
export interface Reply {
  status: number
  headers: HeaderList
  body: Uint8Array
}

const REASONS: Record<number, string> = {
  200: 'OK',
  201: 'Created',
  303: 'See Other',
  304: 'Not Modified',
  400: 'Bad Request',
  404: 'Not Found',
  405: 'Method Not Allowed',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
}

/** The status line text a gateway app passes to `startResponse`, e.g. `"303 See Other"`. */
export function statusLine(status: number): string {
  return `${status} ${REASONS[status] ?? 'Unknown'}`
}

const encoder = new TextEncoder()

/** A reply with a text body; `Content-Type` and `Content-Length` are set here, once for all apps. */
export function textReply(
  status: number,
  contentType: string,
  text: string,
  headers: HeaderList = [],
): Reply {
  const body = encoder.encode(text)
  return {
    status,
    headers: [['Content-Type', contentType], ['Content-Length', String(body.byteLength)], ...headers],
    body,
  }
}

// Defence in depth for a page that shows user input: no inline script or style runs, only our
// own files load, and nobody frames the form (CSP Level 3; RFC 7034 for framing).
const PAGE_HEADERS: HeaderList = [
  ['Cache-Control', 'no-store'],
  ['Content-Security-Policy', "default-src 'self'; frame-ancestors 'none'; form-action 'self'"],
  ['X-Content-Type-Options', 'nosniff'],
]

/** An HTML page reply; never cached, since it shows live entries and one-time notices. */
export function htmlReply(status: number, page: string, headers: HeaderList = []): Reply {
  return textReply(status, 'text/html; charset=utf-8', page, [...PAGE_HEADERS, ...headers])
}

/** A JSON reply. */
export function jsonReply(status: number, value: unknown, headers: HeaderList = []): Reply {
  return textReply(status, 'application/json; charset=utf-8', JSON.stringify(value), headers)
}

/** A reply without a body (`Content-Length: 0`), e.g. a redirect. */
export function emptyReply(status: number, headers: HeaderList): Reply {
  return { status, headers: [...headers, ['Content-Length', '0']], body: new Uint8Array(0) }
}
