import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http'
import type { Body, Environ, StartResponse } from '@tsgi/core'
import { Exchange } from '../node-bridge/exchange.ts'
import { bodyFraming, createIncomingMessage } from '../node-bridge/incoming.ts'
import { HONO_DEFAULT_TYPE } from './hono-content-type.ts'

/**
 * `@hono/node-server`'s marker (`RESPONSE_ALREADY_SENT` from `@hono/node-server/utils/response`):
 * the app answered through `c.env.outgoing` itself.
 */
const ALREADY_SENT = 'x-hono-already-sent'

/**
 * `c.env` as `@hono/node-server` passes it: `{ incoming, outgoing }`, each built only when read.
 * `incoming` alone is a real `http.IncomingMessage` (what `getConnInfo` reads). Reading
 * `outgoing` sets up a real `ServerResponse` bridged to the gateway (the Node bridge of
 * `fromNodeHandler`); from then on the response goes through it, as on `@hono/node-server`:
 * headers the app set with `outgoing.setHeader()` merge with the returned `Response`'s, and
 * `RESPONSE_ALREADY_SENT` means the app wrote the whole response itself.
 */
export class HonoBindings {
  #environ: Environ
  #startResponse: StartResponse
  #incoming: IncomingMessage | undefined
  #exchange: Exchange | undefined
  #body: Promise<Body> | undefined
  #headWritten: Promise<Body> | undefined
  #resolveHeadWritten: ((body: Promise<Body>) => void) | undefined

  constructor(environ: Environ, startResponse: StartResponse) {
    this.#environ = environ
    this.#startResponse = startResponse
  }

  /** The app has read `outgoing`: its response goes through the Node bridge. */
  get usesOutgoing(): boolean {
    return this.#exchange !== undefined
  }

  /**
   * Settles with the gateway body once the app's own writes to `outgoing` sent a head, which
   * may be long before its handler returns (an SSE loop writing and sleeping, a `pipe`, an
   * await on `'drain'` or `'finish'`). Pending while the app does not touch `outgoing`. Made on
   * first read: a handler that answers at once never needs it.
   */
  get headWritten(): Promise<Body> {
    this.#headWritten ??= new Promise<Promise<Body>>((resolve) => {
      if (this.#body !== undefined) resolve(this.#body)
      else this.#resolveHeadWritten = resolve
    }).then((body) => body)
    return this.#headWritten
  }

  get incoming(): IncomingMessage {
    if (this.#incoming === undefined) this.#incoming = createIncomingMessage(this.#environ)
    return this.#incoming
  }

  get outgoing(): ServerResponse {
    if (this.#exchange === undefined) {
      const framing = bodyFraming(this.#environ)
      this.#exchange = new Exchange(
        this.#environ,
        this.#startResponse,
        framing === 'unknown' ? 'chunked' : framing,
      )
      this.#incoming ??= this.#exchange.req
      // The app writes to `res` itself; run() only wires the exchange up and resolves with the body.
      this.#body = this.#exchange.run(() => {})
      this.#resolveHeadWritten?.(this.#body)
    }
    return this.#exchange.res
  }

  /**
   * The gateway body when the app touched `outgoing`, else `undefined` (answer with the
   * `Response` as usual). A `Response` other than `RESPONSE_ALREADY_SENT` is written into
   * `outgoing`, the way `@hono/node-server` writes every response.
   */
  nodeBody(response: Response): Promise<Body> | undefined {
    if (this.#exchange === undefined) return undefined
    this.finish(response)
    return this.#body
  }

  /**
   * The gateway body when the handler failed after it touched `outgoing`, else `undefined` (the
   * server answers 500 as for any app). As `@hono/node-server`'s `handleFetchError` does, the
   * answer is an empty 500 (504 for a `TimeoutError`) written into `outgoing`, or a cut when the
   * app's own head went out; the error itself goes to `tsgi.errors`.
   */
  nodeFailure(error: unknown): Promise<Body> | undefined {
    if (this.#exchange === undefined) return undefined
    this.#report(error)
    const timeout =
      error instanceof Error && (error.name === 'TimeoutError' || error.constructor.name === 'TimeoutError')
    this.finish(new Response(null, { status: timeout ? 504 : 500 }))
    return this.#body
  }

  #report(error: unknown): void {
    const text = error instanceof Error ? (error.stack ?? String(error)) : String(error)
    this.#environ['tsgi.errors'].write(`@tsgi/adapters fromHono: ${text}\n`)
  }

  /**
   * What the handler settled with, once `outgoing` is in use: a `Response` other than
   * `RESPONSE_ALREADY_SENT` is written into `outgoing`. A failure (the handler's, a header
   * node refuses, a body stream that errors, a `Response` after the app's own head) is handled
   * as `@hono/node-server`'s `handleResponseError` does: logged (to `tsgi.errors`), a 500 with
   * `Error: <message>` when no head went out, then the connection is closed.
   */
  finish(outcome: Response | Promise<Response>): void {
    const res = this.#exchange!.res
    Promise.resolve(outcome)
      .then((response) => {
        if (!response.headers.has(ALREADY_SENT)) return writeResponse(response, res)
      })
      .catch((error: unknown) => {
        const failure = error instanceof Error ? error : new Error(String(error))
        this.#report(failure)
        if (!res.headersSent) {
          res.writeHead(500, { 'Content-Type': 'text/plain' })
          res.end(`Error: ${failure.message}`)
        }
        res.destroy(failure)
      })
  }
}

async function writeResponse(response: Response, res: ServerResponse): Promise<void> {
  const headers: OutgoingHttpHeaders = {}
  for (const [name, value] of response.headers) if (name !== 'set-cookie') headers[name] = value
  const cookies = response.headers.getSetCookie()
  if (cookies.length > 0) headers['set-cookie'] = cookies
  // @hono/node-server's default type for a body without one, as on the usual path.
  if (response.body !== null) headers['content-type'] ??= HONO_DEFAULT_TYPE
  res.writeHead(response.status, response.statusText || undefined, headers)
  if (response.body === null) {
    res.end()
    return
  }
  // The head goes out before the body is read, as @hono/node-server sends it: a stream that
  // fails at once still leaves the client a 200 and a cut body.
  res.flushHeaders()
  const reader = response.body.getReader()
  res.once('close', () => void reader.cancel().catch(() => {}))
  for (;;) {
    // A stream that errors rejects here: finish() reports it.
    const { done, value } = await reader.read()
    if (done) break
    // Backpressure as on node:http: wait for 'drain' when the socket's buffer is full.
    if (!res.write(value)) await new Promise((resolve) => res.once('drain', resolve))
  }
  res.end()
}
