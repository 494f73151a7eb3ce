/**
 * The only place a difference between the ways may be excused. Each entry names where it applies
 * (`*` is a wildcard in every pattern) and why the difference is legitimate. A difference caused by
 * a bug is listed only with a reason starting "BUG:", so it stays visible in `docs/conformance.md`.
 */
export interface AllowEntry {
  /** Scenario name pattern, e.g. `wire: *`. */
  scenario: string
  /** Framework pattern: `express5`, `koa*`, `*`. */
  framework: string
  /**
   * `memory`, `tsgi`, `native` or `*`. Native is the reference and never differs from itself; on it
   * only a failed `check` can be excused (where the native host is the tsgi server itself).
   */
  way: string
  /**
   * Field pattern in the observation, e.g. `*headers.keep-alive` or `*framing|*headers.content-length`;
   * `check` is the scenario's own expectation, excused only by a pattern that matches `check`.
   */
  field: string
  /** Pattern for the native value as JSON text (`absent` when missing); any value when omitted. */
  native?: string
  /** Pattern for the other way's value, likewise. */
  got?: string
  reason: string
  /**
   * Connection management that every response of a host shows: the matrix draws a cell whose only
   * excused differences are routine as ✓ (they are still listed and counted under the table).
   */
  routine?: boolean
}

/** Every excused difference, with its reason. */
export const ALLOW_LIST: readonly AllowEntry[] = [
  {
    scenario: '*',
    framework: '*',
    way: 'tsgi',
    field: '*headers.connection',
    native: '["keep-alive"]',
    got: 'absent',
    routine: true,
    reason:
      'node:http announces persistence with `Connection: keep-alive` on every HTTP/1.1 response; the tsgi ' +
      'server relies on HTTP/1.1 connections being persistent by default (RFC 9112 §9.3). Hop-by-hop, not the app’s.',
  },
  {
    scenario: '*',
    framework: '*',
    way: 'tsgi',
    field: '*headers.keep-alive',
    native: '["timeout=5"]',
    got: 'absent',
    routine: true,
    reason:
      'node:http advertises its 5 s idle timeout in `Keep-Alive` (a non-standard hop-by-hop hint); the tsgi ' +
      'server does not send it. Not the app’s.',
  },
  {
    scenario: 'wire: 100-continue, app refuses with 413',
    framework: '*',
    way: 'tsgi',
    field: 'continued',
    native: 'true',
    got: 'false',
    reason:
      'node:http answers `Expect: 100-continue` at once unless a `checkContinue` listener is installed; the tsgi ' +
      'server answers it on the app’s first read of `tsgi.input` (DESIGN), so an app that refuses never ' +
      'invites the upload. Same final 413.',
  },
  {
    scenario: 'wire: 100-continue, app refuses with 413',
    framework: '*',
    way: 'tsgi',
    field: 'response.headers.connection',
    native: '["keep-alive"]',
    got: '["close"]',
    reason:
      'The upload was never invited (above), so the client may or may not send it: the tsgi server closes the ' +
      'connection after the 413 and says so, as RFC 9110 §10.1.1 asks of a server that answers before reading ' +
      'the content. node:http invited the upload and read it, so it keeps the connection.',
  },
  {
    scenario: 'error: thrown synchronously|error: rejected promise',
    framework: 'tsgi@node',
    way: 'tsgi',
    field: 'response.*',
    reason:
      'A bare gateway app that throws gets its host’s own 500: `toNodeHandler` answers "Internal Server ' +
      'Error" and keeps the connection, the tsgi server answers "500 Internal Server Error" and closes it ' +
      '(after an app error the connection state is not trusted). No framework page is involved.',
  },
  {
    scenario: 'error: *',
    framework: 'tsgi|tsgi@node',
    way: 'memory',
    field: '*',
    reason:
      '`inject` rejects with the error a bare gateway app throws (core docs: "a server would answer 500"), ' +
      'while the server answers 500; framework apps render their own 500 and do not reach this.',
  },
  {
    scenario: 'request headers: a repeated Content-Type',
    framework: 'express*|koa*',
    way: 'memory',
    field: '*',
    reason:
      'An environ joins repeated fields (PEP 3333), and `inject` builds one as any server would: the ' +
      'Node bridge sees `application/json, text/plain`, where node:http keeps the first line. Through ' +
      'the tsgi server the bridge gets the lines as sent (`tsgi-server.raw_headers`) and node keeps ' +
      'the first, as natively.',
  },
  {
    scenario: 'HEAD: streamed route sends no body',
    framework: 'hono',
    way: 'tsgi',
    field: 'response.headers.transfer-encoding',
    native: '["chunked"]',
    got: 'absent',
    reason:
      'Hono’s streamText sets `Transfer-Encoding: chunked` itself and node:http repeats it on a HEAD ' +
      'response; the tsgi server owns framing (PEP 3333: hop-by-hop headers are the server’s) and a HEAD ' +
      'response has none.',
  },
  {
    scenario: 'streaming: HTTP/1.0 client gets a close-delimited stream',
    framework: 'hono',
    way: 'tsgi',
    field: 'response.*',
    native: '*chunked*',
    reason:
      'Native bug, tsgi correct: Hono’s streamText sets `Transfer-Encoding: chunked` and node:http sends ' +
      'it to an HTTP/1.0 client, which cannot decode it (RFC 9112 §6.1); the tsgi server ends the body ' +
      'with the connection instead.',
  },
  {
    scenario: '*',
    framework: 'hono',
    way: 'tsgi',
    field: '*framing|*headers.transfer-encoding|*headers.content-length',
    native: '"chunked"|["chunked"]|absent',
    got: '"length"|absent|["*"]',
    reason:
      'Framing only, same bytes (the body is compared on its own): @hono/node-server streams some bodies ' +
      'whose length it does not know (an empty `c.body(null)`, a redirect) as chunked; through `fromHono` the ' +
      'server sees the whole body in its first read and sends `Content-Length`.',
  },
  {
    scenario: '*',
    framework: 'hono',
    way: 'tsgi',
    field: '*framing|*headers.transfer-encoding|*headers.content-length',
    native: '"length"|["*"]',
    got: '"chunked"|["chunked"]|absent',
    reason:
      'Framing only, same bytes (the body is compared on its own): @hono/node-server buffers a non-stream ' +
      'Response body and sends `Content-Length`; through `fromHono` it arrives as a stream, and one longer ' +
      'than the first read goes out chunked (RFC 9112 §7.1).',
  },
]
