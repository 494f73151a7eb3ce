import type { HeaderList } from '@tsgi/core'
import { HOP_BY_HOP_FIELDS } from '@tsgi/core'

/**
 * A fetch `Headers` as a tsgi header list. Every `Set-Cookie` stays its own entry, in
 * order (`getSetCookie()`; joining them with `,` corrupts `Expires=` dates); other
 * repeated fields arrive already combined with `, ` as the Fetch standard does.
 */
export function gatewayHeaders(headers: Headers): HeaderList {
  const list: HeaderList = []
  let cookiesDone = false
  let connection: string | null = null
  for (const [name, value] of headers) {
    if (name === 'set-cookie') {
      if (!cookiesDone) for (const cookie of headers.getSetCookie()) list.push(['set-cookie', cookie])
      cookiesDone = true
    } else if (HOP_BY_HOP_FIELDS.has(name)) {
      // A handler proxying an upstream fetch() often passes these on; the server owns framing
      // (but for `Connection: close`, below).
      if (name === 'connection') connection = value
    } else {
      list.push([name, value])
    }
  }
  return connection === null ? list : withoutConnectionOptions(list, connection)
}

/**
 * RFC 9110 §7.6.1: fields named in `Connection` are hop-by-hop too. `close` stays, alone: the
 * server then closes after the response (SPEC server.connection-close), as node:http does under
 * `@hono/node-server` for a `Response` that carries it.
 */
function withoutConnectionOptions(list: HeaderList, connection: string): HeaderList {
  const named = new Set(connection.split(',').map((option) => option.trim().toLowerCase()))
  const kept = list.filter(([name]) => !named.has(name))
  if (named.has('close')) kept.push(['connection', 'close'])
  return kept
}

/** Whether the list already carries a `Content-Length` (names are lower-case here). */
export function hasContentLength(list: HeaderList): boolean {
  return list.some(([name]) => name === 'content-length')
}
