import { type IncomingMessage, ServerResponse } from 'node:http'
import type { Body, Environ, StartResponse, Write } from '@tsgi/core'
import { untilOverOrIdle } from '../late-upload.ts'
import { isThenable } from '../thenable.ts'
import { BridgeSocket, type SocketHost, type Written } from './bridge-socket.ts'
import { ConnectionDestroyedError, connectionReset } from './errors.ts'
import { type BodyFraming, buildIncomingMessage, completeBodyless, connectRequestBody } from './incoming.ts'
import { ResponseBody } from './response-body.ts'
import type { ResponseHead } from './response-head.ts'
import { ResponseParser, type ResponseSink } from './response-parser.ts'
import { readingUpload } from './upload-state.ts'

/**
 * A `(req, res)` request listener, as `http.createServer` takes. Whatever it returns is ignored,
 * except a promise, whose rejection is reported (so `(req, res) => res.end()` type-checks too).
 */
export type NodeHandler = (req: IncomingMessage, res: ServerResponse) => unknown

const EMPTY = new Uint8Array(0)
const NOOP = (): void => {}
const CLOSE_TOKEN = /(?:^|,)\s*close\s*(?:,|$)/i
const KEEP_ALIVE_TOKEN = /(?:^|,)\s*keep-alive\s*(?:,|$)/i
// node's private flag behind `writableNeedDrain`, found by its description on the first response
// (node:http's own server clears it before emitting 'drain'); null: fall back to the public getter.
let needDrain: symbol | null | undefined
const CHUNKED = ['Transfer-Encoding', 'chunked']

type ResponseConstructor = new (req: IncomingMessage, options: { highWaterMark: number }) => ServerResponse

/** Internals of node's HTTP objects that node:http's own server code uses and the bridge mirrors. */
type NodeInternals = {
  _consuming?: boolean
  _readableState?: { resumeScheduled?: boolean }
  _dump?: () => void
  _closed?: boolean
}

/**
 * One request through a Node handler, set up as node:http's server does it (`parserOnIncoming`,
 * `resOnFinish`, `socketOnClose` in `lib/_http_server.js`): a real `ServerResponse` bound to the
 * bridge socket with `assignSocket`, `'finish'` detaching it and emitting `'close'`, a closed socket
 * aborting the unfinished request (`'aborted'`, `'close'`) and closing the response. What node writes
 * is parsed back ({@link ResponseParser}); the head becomes `startResponse`, the body the gateway
 * body.
 */
export class Exchange implements SocketHost, ResponseSink {
  readonly socket: BridgeSocket
  readonly req: IncomingMessage
  readonly res: ServerResponse
  #environ: Environ
  #startResponse: StartResponse
  #framing: BodyFraming
  #first: Uint8Array | undefined
  #parser = new ResponseParser()
  #body: ResponseBody
  #write: Write | undefined
  #pending: { resolve: (body: Body) => void; reject: (error: unknown) => void } | undefined
  #failedEarly = false
  #earlyError: unknown
  #started = false
  #finished = false
  #abortReason: unknown
  #holds: Array<Promise<unknown>> | undefined
  #batchHasData = false
  #watching = false
  #abortListener: (() => void) | undefined
  /** The pending start of the disconnect watch; cleared when the exchange ends before it. */
  #watchStart: ReturnType<typeof setImmediate> | undefined
  /** The final head says the body's length (or that there is none), so it may go out sized. */
  #sized = false
  /** The body's length by the final head (0 for a bodiless answer; NaN when it says none). */
  #expectedBytes = Number.NaN
  /** Body bytes node wrote after the final head. */
  #bodyBytes = 0
  /** The final response head node wrote, once it did. */
  #head: ResponseHead | undefined
  /** The head went to the server through the legacy `write` (`flushHeaders()`): it is out. */
  #headFlushed = false
  /** The server closed the gateway body: it is done with this request. */
  #bodyClosed = false
  /** The socket emitted 'close' (a request that never finished was aborted by then). */
  #socketClosed = false

  constructor(environ: Environ, startResponse: StartResponse, framing: BodyFraming, peeked?: Peeked) {
    this.#environ = environ
    this.#startResponse = startResponse
    this.#framing = framing
    this.#first = peeked?.first
    const socket = socketFor(environ, peeked?.iterator)
    const req = buildIncomingMessage(environ, socket, peeked ? CHUNKED : undefined)
    // As node:http does, the response's buffer matches the socket's (`highWaterMark` option, node >= 18.14).
    const res = new (ServerResponse as ResponseConstructor)(req, {
      highWaterMark: socket.writableHighWaterMark,
    })
    // node's parser decides keep-alive from the version and `Connection`, and node then writes
    // `Connection: close` when the request or the app (`res.shouldKeepAlive = false`, its own
    // `Connection: close`) does not keep it: that one field reaches the server, which closes
    // after the response (SPEC server.connection-close). HTTP/1.0 keeps the connection only when
    // asked; HTTP/1.2 and up are served as 1.1 (SERVER_PROTOCOL keeps the version the client sent).
    if (req.httpVersionMajor === 1) {
      const connection = environ.HTTP_CONNECTION
      const close = typeof connection === 'string' && CLOSE_TOKEN.test(connection)
      res.shouldKeepAlive =
        req.httpVersionMinor >= 1
          ? !close
          : !close && typeof connection === 'string' && KEEP_ALIVE_TOKEN.test(connection)
    }
    socket.attach(this)
    res.assignSocket(socket as never)
    res.on('finish', this.#onFinish)
    this.socket = socket
    this.req = req
    this.res = res
    this.#body = new ResponseBody(this)
  }

  /** Runs `handler` and resolves with the gateway body once node wrote the response head. */
  run(handler: NodeHandler): Promise<Body> {
    const body = this.start(handler)
    return body instanceof Promise ? body : Promise.resolve(body)
  }

  /**
   * Runs `handler`, as {@link run}, but when node wrote the response head during the handler's
   * synchronous part (the common case) the gateway body is returned as is, without a promise.
   */
  start(handler: NodeHandler): Body | Promise<Body> {
    connectRequestBody(this.req, this.socket, this.#framing, this.#first)
    try {
      const result: unknown = handler(this.req, this.res)
      if (isThenable(result)) result.then(undefined, (error: unknown) => this.#handlerFailed(error))
    } catch (error) {
      this.#handlerFailed(error)
    }
    // A bodyless message completes in the same parser run that emitted 'request', right after
    // the handler's synchronous part; bodies arrive later, as the app reads.
    completeBodyless(this.req, this.#framing)
    // A client leaving matters while the app still works on the response. The server's signal
    // is watched from the next turn of the event loop: a response finished before that (in the
    // handler, or in promise callbacks as Koa's, or after reading an upload the server already
    // holds) needs no watch, which spares the server its lazily built signal (an AbortController
    // and its listener are a measurable share of a small request). A disconnect is only ever
    // seen by the server on a later turn, so it reaches the app as before.
    if (!this.res.writableEnded && !this.socket.destroyed) {
      this.#watchStart = setImmediate(() => this.#watchIfPending())
    }
    if (this.#started) return this.#whole() ?? this.#body
    if (this.#failedEarly) return Promise.reject(this.#earlyError)
    return new Promise<Body>((resolve, reject) => {
      this.#pending = { resolve, reject }
    })
  }

  #watchIfPending(): void {
    this.#watchStart = undefined
    if (!this.#finished && !this.socket.destroyed) this.#watch()
  }

  #watch(): void {
    const signal = this.#environ['tsgi.signal']
    if (!signal) return
    this.#watching = true
    if (signal.aborted) {
      this.#onAbort()
      return
    }
    this.#abortListener = () => this.#onAbort()
    signal.addEventListener('abort', this.#abortListener)
  }

  #unwatch(): void {
    // A pending immediate holds this exchange, and through `req` whatever the app hung on it
    // (a parsed upload): cleared, the exchange can be collected as soon as it ends, not after
    // every other connection's I/O of this event-loop turn.
    if (this.#watchStart !== undefined) {
      clearImmediate(this.#watchStart)
      this.#watchStart = undefined
    }
    if (!this.#watching) return
    this.#watching = false
    if (this.#abortListener) this.#environ['tsgi.signal']?.removeEventListener('abort', this.#abortListener)
  }

  write(chunks: Written[], done: () => void): void {
    const headBefore = this.#parser.headDone
    this.#batchHasData = false
    try {
      for (const { chunk, encoding } of chunks) this.#parser.feed(chunk, this, encoding)
    } catch (error) {
      this.#fail(error)
    }
    // A head with no body bytes and no end yet is `flushHeaders()` (or `write('')`): the client
    // must get it now, not with the first chunk, so the legacy `write` flushes it (PEP 3333).
    if (!headBefore && this.#started && !this.#batchHasData && !this.res.writableEnded) {
      this.#headFlushed = true
      // A server may refuse the head right here, by throwing (a status it does not send): that
      // fails this write as a rejection would.
      let flushed: Promise<void>
      try {
        flushed = this.#write!(EMPTY)
      } catch (error) {
        flushed = Promise.reject(error)
      }
      this.#hold(flushed)
    }
    const holds = this.#holds
    this.#holds = undefined
    if (holds) {
      Promise.all(holds).then(
        () => this.#body.release(done),
        (error: unknown) => {
          this.#fail(error)
          done()
        },
      )
    } else if (this.#sized && this.#bodyBytes >= this.#expectedBytes) {
      // This write completes a sized body: no byte node writes after it reaches the client, so
      // there is no backpressure left to give, and a real socket acknowledges it at once (the
      // kernel took it). 'finish' then comes when it comes on node:http: before the request's own
      // 'close' of a body the app read (code that reads `res.writableFinished` in `req.on('close')`
      // would otherwise take a complete answer for an aborted one).
      this.#body.release(NOOP)
      done()
    } else {
      this.#body.release(done)
    }
  }

  head(head: ResponseHead): boolean {
    // An interim response (`writeEarlyHints`, `writeContinue`) is written before node has a final
    // head; a `1xx` the app set as its status comes as that final head, which the server refuses.
    if (head.code < 200 && !this.res.headersSent) {
      const hints = this.#environ['tsgi.early_hints']
      // Only 103 has a gateway counterpart; 100 and 102 are the server's business (it answers
      // `Expect: 100-continue` itself).
      if (head.code === 103 && typeof hints === 'function') {
        this.#hold(hints(head.headers).catch((error: unknown) => this.#report(error)))
      }
      return false
    }
    try {
      this.#write = this.#startResponse(head.status, head.headers)
    } catch (error) {
      this.#fail(error)
      return true
    }
    this.#started = true
    this.#head = head
    // Only a status the gateway accepts (200-599; node allows up to 999): a response the server
    // refuses must keep streaming, so the refusal reaches node as a cut connection, not 'finish'.
    const bodiless = this.req.method === 'HEAD' || head.code === 204 || head.code === 304
    this.#sized = !head.chunked && head.code >= 200 && head.code <= 599 && (head.sized || bodiless)
    this.#expectedBytes = bodiless ? 0 : head.length
    const pending = this.#pending
    this.#pending = undefined
    // A microtask later: when this head came with `res.end()`, as Koa sends it after its
    // middleware, the end completes first and the whole body can go out at once.
    if (pending) queueMicrotask(() => pending.resolve(this.#whole() ?? this.#body))
    return true
  }

  /**
   * The whole body as an array once the response is complete (ended, every byte handed over,
   * sized by node): the server sends it at once, sized, as node:http would have. A chunked
   * response keeps streaming, so its framing on the wire stays node's.
   */
  #whole(): Body | null {
    if (!this.#sized || !this.res.writableEnded || !this.socket.flushed) return null
    // An upload the app still reads holds the body's end back (`#onFinish`): it streams.
    if (readingUpload(this.req)) return null
    return this.#body.takeAll()
  }

  data(chunk: Uint8Array): void {
    this.#batchHasData = true
    this.#bodyBytes += chunk.byteLength
    this.#body.push(chunk)
  }

  destroyed(error: Error | null): void {
    this.#unwatch()
    if (this.#finished) return
    // An ECONNRESET is the client's doing (an upload cut short); anything else, the app's.
    const reset = (error as { code?: string } | null)?.code === 'ECONNRESET'
    const reason = this.#abortReason ?? (reset ? error : new ConnectionDestroyedError(error ?? undefined))
    if (this.#started) {
      if (this.res.writableEnded) {
        // node wrote the whole response before the destroy: the client gets all of it, and then,
        // as node:http closes a socket the app destroyed, a closed connection.
        if (reason instanceof ConnectionDestroyedError && this.#closeAfterResponse(reason))
          this.#body.fail(reason)
        else this.#body.end()
      } else {
        this.#body.fail(reason)
      }
    } else if (this.#pending) {
      const pending = this.#pending
      this.#pending = undefined
      pending.reject(reason)
      this.#noBody()
    } else {
      this.#failedEarly = true
      this.#earlyError = reason
      this.#noBody()
    }
  }

  /** The call fails without a head: no gateway body will reach the server, nor come back closed. */
  #noBody(): void {
    this.#bodyClosed = true
    this.#releaseIfOver()
  }

  /**
   * Prepares the close after a complete response that the app's destroy asks for: the body then
   * fails with the code after its last chunk (SPEC 6.2: what was sent reaches the client, then
   * the connection ends). That failure must come after the head is out, or after bytes that carry
   * it: a head with nothing behind it (an empty or bodiless response, not flushed) would be
   * dropped whole, so it ends normally instead. For the client to see a chunked response whole,
   * its length must be on the head: while the head is not out, it is replaced with the same head
   * plus the `Content-Length` of the bytes node wrote (`startResponse` with `excInfo`, SPEC 6).
   * False when the close cannot be done that way: the response then ends normally, and the
   * connection stays as the server keeps it.
   */
  #closeAfterResponse(reason: ConnectionDestroyedError): boolean {
    const head = this.#head
    if (head === undefined) return false
    const headOut = this.#body.started || this.#headFlushed
    const queued = this.#body.queuedBytes()
    if (!headOut && queued === 0) return false
    const bodiless = this.req.method === 'HEAD' || head.code === 204 || head.code === 304
    if (head.sized || bodiless) return true
    if (headOut) return false
    try {
      this.#write = this.#startResponse(
        head.status,
        [...head.headers, ['Content-Length', String(queued)]],
        reason,
      )
      return true
    } catch (error) {
      // The server re-raises excInfo when the head went out (PEP 3333); anything else is a
      // refusal (validate(), say) worth its log line.
      if (error !== reason) this.#report(error)
      return false
    }
  }

  #hold(promise: Promise<unknown>): void {
    this.#holds ??= []
    this.#holds.push(promise)
  }

  #fail(error: unknown): void {
    this.#abortReason ??= error
    this.socket.destroy()
  }

  #report(error: unknown): void {
    const text = error instanceof Error ? (error.stack ?? String(error)) : String(error)
    this.#environ['tsgi.errors'].write(`@tsgi/adapters node bridge: ${text}\n`)
  }

  #handlerFailed(error: unknown): void {
    // Once the head went out the server can only cut the connection; say why in its log.
    if (this.#started || this.#finished) this.#report(error)
    if (!this.#finished) this.#fail(error)
  }

  #onAbort(): void {
    const reason = this.#environ['tsgi.signal']?.reason
    this.#fail(reason ?? connectionReset())
  }

  /** The server closed the gateway body; `early`: before the response was complete. */
  bodyClosed(early: boolean): void {
    // A bodiless answer (HEAD, 204, 304) is whole once its head is out, and the server stops
    // there, while node's response may still be open (`flushHeaders()`, `end()` later): as on
    // node:http, that is no disconnect. A client that leaves meanwhile still aborts it (`#watch`).
    if (early && !this.#finished && !this.#bodilessHeadOut()) this.#fail(connectionReset())
    // The server is done with this request and owns tsgi.input again: an unread body is its to
    // drain (node:http drains it itself, `_dump`), so the socket stops pulling from it.
    this.socket.stopInput()
    this.#bodyClosed = true
    this.#releaseIfOver()
  }

  #bodilessHeadOut(): boolean {
    const code = this.#head?.code
    return this.#headFlushed && (code === 204 || code === 304 || this.req.method === 'HEAD')
  }

  /**
   * Once the server closed the body and node is done with the response (it finished, or the
   * socket closed under it, aborting the request), nothing the socket could still hear concerns
   * this exchange: it lets go of it ({@link BridgeSocket.release}).
   */
  #releaseIfOver(): void {
    if (!this.#bodyClosed || !(this.#finished || this.#socketClosed)) return
    this.socket.release()
    // A response the socket closed under never detached from it ('finish' does that): once
    // node's own 'close' listener has told the response, the socket forgets it too.
    if (!this.#finished) process.nextTick(forgetResponse, this.socket, this.res)
  }

  #onFinish = (): void => {
    this.#finished = true
    this.#unwatch()
    // node:http's resOnFinish: pull an unread body off the wire, free the socket, then 'close'.
    const req = this.req as IncomingMessage & NodeInternals
    if (!req._consuming && !req._readableState?.resumeScheduled) req._dump?.()
    // A body the app still reads node:http goes on delivering, and it reads the connection's next
    // request only after it. So the gateway body ends when the upload does (or when the app
    // stopped taking it): until then the server keeps tsgi.input for the app, rather than take
    // it back and throw the rest away.
    if (readingUpload(req)) {
      const over = new Promise((resolve) => {
        req.once('end', resolve)
        req.once('close', resolve)
      })
      // The head goes out now, as node:http sends it, though the end waits: an empty answer
      // would otherwise go out only with that end (a bodiless one still does, see below).
      this.#flushEmptyHead()
      void untilOverOrIdle(over, {
        taken: () => this.socket.bytesRead,
        waiting: () => this.#awaitingClient(),
      }).then(() => this.#lateUploadOver())
    } else {
      this.#body.end()
    }
    // node's detachSocket asserts that the socket holds this response, which a socket that closed
    // under it (the client left, then the app ended it) has forgotten (`forgetResponse`).
    const held = this.socket as BridgeSocket & { _httpMessage?: ServerResponse | null }
    held._httpMessage = this.res
    this.res.detachSocket(this.socket as never)
    process.nextTick(emitClose, this.res)
    this.#releaseIfOver()
  }

  /**
   * The app's read of its upload after the response is over. An app that destroyed the request
   * (or its socket) meanwhile closed the connection on node:http: the body fails with that, so
   * the server drops it too (SPEC 6.2).
   */
  #lateUploadOver(): void {
    // As a destroy after a complete response (see `destroyed`): what node wrote reaches the
    // client, then the connection closes where that can be told apart from a complete response.
    const reason = new ConnectionDestroyedError()
    if (this.socket.destroyed && !this.req.complete && this.#closeAfterResponse(reason))
      this.#body.fail(reason)
    else this.#body.end()
  }

  /**
   * The app waits for upload bytes the client has not sent: nothing taken from tsgi.input waits
   * in the request or the socket for the app to read it.
   */
  #awaitingClient(): boolean {
    return this.req.readableLength === 0 && this.socket.readableLength === 0
  }

  /**
   * Sends a head with nothing queued behind it through the legacy `write` (as `flushHeaders()`).
   * Not a bodiless one (HEAD, 204, 304): the server ends such an answer as soon as its head is
   * out, which would take the upload back from under the app's read; that head waits for it.
   */
  #flushEmptyHead(): void {
    if (this.#headFlushed || this.#body.started || this.#body.queuedBytes() > 0 || this.#write === undefined)
      return
    const code = this.#head?.code
    if (code === 204 || code === 304 || this.req.method === 'HEAD') return
    this.#headFlushed = true
    try {
      this.#write(EMPTY).catch((error: unknown) => this.#fail(error))
    } catch (error) {
      this.#fail(error)
    }
  }

  /** The socket closed (listener on the socket, as node:http's server has one). */
  socketClosed(): void {
    this.#socketClosed = true
    // node:http's abortIncoming: a request whose response did not finish was aborted.
    if (!this.#finished) this.req.destroy(connectionReset())
    this.#releaseIfOver()
  }

  /** The server took the bytes in flight: the socket drained. */
  socketDrained(): void {
    // node:http's socketOnDrain: the response hears 'drain' only if a write of its returned false.
    const res = this.res as ServerResponse & Record<symbol, boolean>
    needDrain ??= Object.getOwnPropertySymbols(res).find((key) => key.description === 'kNeedDrain') ?? null
    if (this.#finished) return
    if (needDrain === null ? !res.writableNeedDrain : !res[needDrain]) return
    if (needDrain !== null) res[needDrain] = false
    res.emit('drain')
  }

  /** A socket error (an app's `socket.emit('error')`, or the input failing). */
  socketErrored(error: Error): void {
    // node:http's socketOnError: a socket error ends the connection (the cause reaches the body).
    if (!this.socket.destroyed) this.socket.destroy(error)
  }

  /** The socket's inactivity timeout (`res.setTimeout`, `req.setTimeout`) expired. */
  socketTimedOut(): void {
    // node:http's socketOnTimeout: the request and response hear it first; unheard, it kills.
    const reqTimeout = !this.req.complete && this.req.emit('timeout', this.socket)
    const resTimeout = !this.#finished && this.res.emit('timeout', this.socket)
    if (!reqTimeout && !resTimeout) this.socket.destroy()
  }
}

/** The tsgi server's key for the connection a request came on (`@tsgi/server`'s README). */
const CONNECTION = 'tsgi-server.connection'
/** Each connection's socket, for its next request; gone with the connection. */
const connectionSockets = new WeakMap<object, BridgeSocket>()

/**
 * The socket for a request: the one its connection's last request had, when the server says
 * which connection it came on and that socket is free again ({@link BridgeSocket.reuse}), as
 * node:http hands every request of a keep-alive connection the same socket; else a new one.
 */
function socketFor(environ: Environ, input: AsyncIterator<Uint8Array> | undefined): BridgeSocket {
  const connection = environ[CONNECTION]
  const key = typeof connection === 'object' && connection !== null ? connection : undefined
  if (key !== undefined) {
    const idle = connectionSockets.get(key)
    if (idle?.reuse(environ, input)) return idle
  }
  const socket = new BridgeSocket(environ, input)
  // Listeners in node:http's order: the server's socket 'close' (aborting the request) comes
  // before the response's own, which `assignSocket` adds.
  socket.on('close', onSocketClose)
  socket.on('error', onSocketError)
  socket.on('timeout', onSocketTimeout)
  socket.on('drain', onSocketDrain)
  if (key !== undefined) connectionSockets.set(key, socket)
  return socket
}

/** The first chunk of an upload whose framing had to be found out by reading. */
export interface Peeked {
  first: Uint8Array
  iterator: AsyncIterator<Uint8Array>
}

// The socket's listeners, shared by every exchange (no closures per request): `this` is the
// socket. A released socket (its exchange over) acts as node:http's socket with no request on it.
function onSocketClose(this: BridgeSocket): void {
  const host = this.host
  if (host instanceof Exchange) host.socketClosed()
}

function onSocketError(this: BridgeSocket, error: Error): void {
  const host = this.host
  if (host instanceof Exchange) host.socketErrored(error)
  else if (!this.destroyed) this.destroy(error)
}

function onSocketTimeout(this: BridgeSocket): void {
  const host = this.host
  if (host instanceof Exchange) host.socketTimedOut()
  else this.destroy()
}

function onSocketDrain(this: BridgeSocket): void {
  const host = this.host
  if (host instanceof Exchange) host.socketDrained()
}

function forgetResponse(socket: BridgeSocket, res: ServerResponse): void {
  const held = socket as BridgeSocket & { _httpMessage?: ServerResponse | null }
  if (held._httpMessage === res) held._httpMessage = null
}

function emitClose(res: ServerResponse & NodeInternals): void {
  if (res._closed) return
  res.destroyed = true
  res._closed = true
  res.emit('close')
}
