import type { IncomingMessage, ServerResponse } from 'node:http'
import type { App, Body, Environ, StartResponse } from '@tsgi/core'
import { checkOptions, requireArgument } from './check-arguments.ts'
import { Exchange, type NodeHandler, type Peeked } from './node-bridge/exchange.ts'
import { bodyFraming } from './node-bridge/incoming.ts'

export type { NodeHandler }

/** Options of {@link fromNodeHandler}, `fromExpress` and `fromKoa`. None yet; reserved so adding one is not breaking. */
export type NodeAdapterOptions = Record<string, never>

/**
 * Wraps a node:http request listener `(req, res)` as a gateway app. The handler gets a real
 * `http.IncomingMessage` and a real `http.ServerResponse` on a socket that stands in for the
 * client connection: the request body streams from `tsgi.input` as the app reads it, each
 * `res.write()` reaches the gateway body as written (with backpressure: `res.write()` returns
 * `false` and `'drain'` waits for the server), and a client disconnect (`tsgi.signal`) aborts the
 * request and closes the response as on node:http. Nothing global, and no prototype, is touched.
 *
 * A handler that throws (or rejects) before the response head fails the gateway call (the server
 * answers 500); after it, the error goes to `tsgi.errors` and the connection is cut.
 *
 * @example
 * ```ts
 * import { fromNodeHandler } from '@tsgi/adapters'
 * export default fromNodeHandler((req, res) => res.end(`hello ${req.url}`))
 * ```
 */
export function fromNodeHandler(handler: NodeHandler, options: NodeAdapterOptions = {}): App {
  requireArgument(
    typeof handler === 'function',
    handler,
    'fromNodeHandler() expects a function (req, res) => void',
  )
  checkOptions(options, [], 'fromNodeHandler()')
  return (environ: Environ, startResponse: StartResponse): Body | Promise<Body> => {
    const framing = bodyFraming(environ)
    if (framing !== 'unknown') return new Exchange(environ, startResponse, framing).start(handler)
    // No Content-Length, no Transfer-Encoding, yet the input may hold a chunked upload whose
    // framing the server kept to itself: read one chunk to tell (node:http would have seen
    // `Transfer-Encoding: chunked` and body parsers look for it).
    return peek(environ).then((peeked) =>
      new Exchange(environ, startResponse, peeked ? 'chunked' : 'none', peeked).start(handler),
    )
  }
}

async function peek(environ: Environ): Promise<Peeked | undefined> {
  const iterator = environ['tsgi.input'][Symbol.asyncIterator]()
  const step = await iterator.next()
  if (step.done || step.value.byteLength === 0) return undefined
  return { first: step.value, iterator }
}

/** The request and response types a {@link NodeHandler} receives, re-exported for convenience. */
export type { IncomingMessage, ServerResponse }
