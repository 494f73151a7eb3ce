import type { HeaderList } from '@tsgi/core'

/** `@hono/node-server`'s default type. */
export const HONO_DEFAULT_TYPE = 'text/plain; charset=UTF-8'

/**
 * The `Content-Type` as `@hono/node-server` sends it, so a Hono app's headers match its
 * native host: a response with a body and no type (`c.body(bytes)`, `stream()`, a
 * `Response` of a stream) gets `text/plain; charset=UTF-8`.
 */
export function honoContentType(headers: HeaderList, hasBody: boolean): void {
  if (!hasBody) return
  for (const [name] of headers) if (name === 'content-type') return
  headers.push(['content-type', HONO_DEFAULT_TYPE])
}
