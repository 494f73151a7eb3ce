import type { Socket } from 'node:net'
import { CONNECTION_DESTROYED, type EarlyHints, type HeaderList } from '@tsgi/core'
import { buildEnviron, type ConnectionInfo } from './environ.ts'
import {
  BodyTimeoutError,
  ClientDisconnectedError,
  HeadersTimeoutError,
  IncompleteBodyError,
  ProtocolError,
} from './errors.ts'
import { accessLogEntry, type Exchange, openExchange } from './exchange.ts'
import { httpDate } from './http/date.ts'
import { HeadScanner } from './http/head-scanner.ts'
import { parseRequestHead, parseRequestHeadText, type RequestHead } from './http/request-head.ts'
import { interimResponse, serverResponse } from './http/response-head.ts'
import { latin1 } from './http/syntax.ts'
import type { InputSource } from './input.ts'
import { type AppOutcome, runApp } from './run-app.ts'
import type { ServerContext } from './server-context.ts'
import type { AccessLogEntry } from './server-options.ts'
import { SocketSink } from './socket-sink.ts'

// This file is the one place that touches the socket: the state machine below reads best
// whole (about 470 lines), so parsing, framing, the app call and the environ live elsewhere.

/**
 * `idle`: between requests. `head`: part of a request head arrived. `active`: the app has the
 * request. `draining`: response sent, unread body being discarded. `closing`: our FIN is sent,
 * input is ignored. `closed`: the socket is gone.
 */
export type ConnectionState = 'idle' | 'head' | 'active' | 'draining' | 'closing' | 'closed'

type DeadlineKind = 'idle' | 'headers' | 'body' | 'linger'

const EMPTY = Buffer.alloc(0)
// A deadline not yet stamped by the sweep: below any clock reading plus a timeout.
const UNSTAMPED = -1
// Up to this size a new request's buffered bytes are decoded whole to find the head's end: a
// typical head with what follows it in the same packet.
const WHOLE_HEAD_BYTES = 4096
// Bytes of pipelined requests buffered while a response is in progress before reading pauses.
const PIPELINE_BUFFER_BYTES = 64 * 1024

/** Thrown inside body decoding when the unread rest of a body is over `maxDiscardBodyBytes`. */
class DiscardLimit extends Error {}

/** One client connection: reads requests, runs the app for each in turn, writes responses in order. */
export class Connection implements InputSource {
  #socket: Socket
  #ctx: ServerContext
  #sink: SocketSink
  #state: ConnectionState = 'idle'
  #buf: Buffer = EMPTY
  #scanner = new HeadScanner()
  #ex: Exchange | null = null
  /** When the pending timeout fires; UNSTAMPED until the server's sweep first sees it (see #setDeadline). */
  #deadline = UNSTAMPED
  #deadlineMs = 0
  #deadlineKind: DeadlineKind | null = null
  #paused = false
  #peerEnded = false
  #advancing = false
  #again = false
  #info: ConnectionInfo
  #onClose: (connection: Connection) => void
  #earlyHints: EarlyHints
  /** One per connection, not per request: runApp hands back the exchange it was given. */
  #outcome: AppOutcome<Exchange> = {
    finish: (ex, keepAlive) => this.#finish(ex, keepAlive),
    fail: (ex, error) => this.#appFailed(ex, error),
    closePending: (_ex, settled) => {
      const pending = this.#ctx.pendingCloses
      pending.add(settled)
      void settled.then(() => pending.delete(settled))
    },
    closeFailed: (ex, error) =>
      this.#ctx.errorLog(
        `tsgi: body.close() failed on ${ex.head.method} ${ex.head.rawTarget}\n${error instanceof Error ? error.stack : String(error)}\n`,
      ),
  }
  #shutdownSeen = false
  /** Our output is backed up: read no further request until it drains. */
  #writeBlocked = false
  /** Since when (sweep time) output has waited for the client without it taking any; or UNSTAMPED. */
  #sendWaitSince = UNSTAMPED
  #sendWaitDrains = 0
  #sendWaitQueued = -1
  /** When a shutdown stops waiting for this closing connection's FIN; 0 until one sees it. */
  #shutdownLingerUntil = 0

  constructor(socket: Socket, ctx: ServerContext, onClose: (connection: Connection) => void) {
    this.#socket = socket
    this.#ctx = ctx
    this.#onClose = onClose
    this.#sink = new SocketSink(socket)
    this.#info = {
      remoteAddress: socket.remoteAddress ?? '',
      remotePort: String(socket.remotePort ?? ''),
      // A unix socket has no address or port: name the server as a local client would reach it.
      localAddress: socket.localAddress ?? 'localhost',
      localPort: String(socket.localPort ?? (ctx.urlScheme === 'https' ? 443 : 80)),
      urlScheme: ctx.urlScheme,
      multiprocess: ctx.multiprocess,
      identity: Object.freeze(Object.create(null)),
    }
    this.#earlyHints = (headers) => this.#sendEarlyHints(headers)
    socket.setNoDelay(true)
    socket.on('data', this.#dataListener)
    socket.on('end', this.#endListener)
    socket.on('close', this.#closeListener)
    socket.on('error', ignoreError) // ECONNRESET, EPIPE: 'close' follows and cleans up
    this.#setDeadline('idle', ctx.limits.keepAliveTimeoutMs)
  }

  #dataListener = (chunk: Buffer): void => this.#onData(chunk)
  #endListener = (): void => this.#onEnd()
  #closeListener = (): void => this.#onSocketClose()

  /** The connection's state (for tests and graceful close). */
  get state(): ConnectionState {
    return this.#state
  }

  /**
   * Graceful close, called repeatedly until the connection is gone: a busy connection closes
   * after its current response (which says `Connection: close` if its head is not out yet);
   * an idle one closes on the second call, so a request already in flight from the client
   * (bytes in the kernel, not yet read) is served rather than lost.
   */
  shutdown(): void {
    if (this.#ex !== null) this.#ex.plan.keepAlive = false
    if (this.#state === 'closing') {
      // A shutdown waits for the client's FIN a second at most (the linger alone may last the
      // keep-alive timeout). Timed here, not by the sweep: shutdown() runs every 10 ms while
      // the server drains, and the sweep's period would add up to two seconds more.
      const now = Date.now()
      if (this.#shutdownLingerUntil === 0) this.#shutdownLingerUntil = now + 1000
      else if (now >= this.#shutdownLingerUntil) this.#socket.destroy()
    }
    if (this.#state !== 'idle') return
    if (this.#shutdownSeen) {
      this.#close()
      // Nothing is in flight on an idle connection: no need to linger for the client's FIN
      // (one that keeps its side open would hold the shutdown for the linger's length).
      this.#socket.destroySoon()
    }
    this.#shutdownSeen = true
  }

  /** Cuts the connection at once. */
  destroy(): void {
    this.#socket.destroy()
  }

  /** Called by the server's sweep: fires whichever timeout is due. */
  checkTimeout(now: number): void {
    if (this.#sendStalled(now)) {
      this.#socket.destroy()
      return
    }
    if (this.#deadlineKind === null) return
    if (this.#deadline === UNSTAMPED) {
      this.#deadline = now + this.#deadlineMs
      return
    }
    if (now < this.#deadline) return
    const kind = this.#deadlineKind
    this.#deadlineKind = null
    const limits = this.#ctx.limits
    if (kind === 'idle') this.#close()
    else if (kind === 'linger') this.#socket.destroy()
    else if (kind === 'headers') this.#fail(new HeadersTimeoutError(limits.headersTimeoutMs!))
    else this.#fail(new BodyTimeoutError(limits.bodyReadTimeoutMs!))
  }

  /**
   * The send timeout: output has waited for the client over `sendTimeoutMs` with no progress.
   * Progress is a 'drain', or bytes leaving the write queue of the socket's handle: one large
   * write (a whole body in one buffer) drains only at its end, however steadily the client reads.
   * node's own `socket.setTimeout` reads the same `writeQueueSize` to spare a write in progress.
   * Independent of the one pending deadline: it runs alongside a body read, a response in
   * progress, or a pipelined backlog.
   */
  #sendStalled(now: number): boolean {
    const limit = this.#ctx.limits.sendTimeoutMs
    if (limit === null || !this.#socket.writableNeedDrain) {
      this.#sendWaitSince = UNSTAMPED
      return false
    }
    const drains = this.#sink.drains
    const queued =
      (this.#socket as { _handle?: { writeQueueSize?: number } | null })._handle?.writeQueueSize ?? -1
    if (
      this.#sendWaitSince === UNSTAMPED ||
      drains !== this.#sendWaitDrains ||
      queued !== this.#sendWaitQueued
    ) {
      this.#sendWaitSince = now
      this.#sendWaitDrains = drains
      this.#sendWaitQueued = queued
      return false
    }
    return now - this.#sendWaitSince >= limit
  }

  // ----------------------------------------------------------------- InputSource

  onFirstRead(): void {
    const ex = this.#ex
    // RFC 9110 §10.1.1: 100 Continue goes out when the app asks for the body, not before,
    // so an app that answers 413 or 401 without reading never receives the upload.
    if (ex === null || !ex.head.framing.expectContinue || ex.writer.headersSent || ex.decoder?.done) return
    if (this.#state !== 'active' || this.#sink.closed) return
    ex.continueSent = true
    this.#bodyComing(ex)
    this.#sink.send(interimResponse(100), null, null)
  }

  /**
   * The body of an `Expect: 100-continue` request is invited, or has arrived anyway: a response
   * need not say `Connection: close` for the client's sake any more (see openExchange).
   */
  #bodyComing(ex: Exchange): void {
    // Once a head said `Connection: close`, the connection closes as it said.
    if (ex.head.framing.expectContinue && !ex.writer.headersSent)
      ex.plan.keepAlive = ex.head.framing.keepAlive && !this.#ctx.closing
  }

  onDrain(): void {
    if (this.#state === 'active') this.#resume()
  }

  // ----------------------------------------------------------------- reading

  #onData(chunk: Buffer): void {
    if (this.#state === 'closing' || this.#state === 'closed') return
    this.#buf = this.#buf.length === 0 ? chunk : Buffer.concat([this.#buf, chunk])
    this.#advance()
  }

  #advance(): void {
    if (this.#advancing) {
      this.#again = true
      return
    }
    this.#advancing = true
    try {
      do {
        this.#again = false
        this.#step()
      } while (this.#again)
    } catch (error) {
      this.#fail(error)
    } finally {
      this.#advancing = false
    }
  }

  #step(): void {
    for (;;) {
      const state = this.#state
      if (state === 'idle' || state === 'head') {
        if (this.#writeBlocked) return
        const head = this.#readHead()
        if (head === null) {
          if (this.#peerEnded) this.#close()
          return
        }
        this.#dispatch(head)
      } else if (state === 'active' || state === 'draining') {
        const decoder = this.#ex!.decoder
        if (decoder !== null && !decoder.done && this.#buf.length > 0) {
          this.#consume(decoder.decode(this.#buf, 0, this.#onBody))
          if (decoder.done) this.#bodyDone()
          if (this.#state !== state) continue
        }
        if (this.#state === 'active' && this.#buf.length > PIPELINE_BUFFER_BYTES) this.#pause()
        return
      } else {
        return
      }
    }
  }

  #readHead(): RequestHead | null {
    const fresh = this.#state === 'idle'
    if (fresh) {
      // RFC 9112 §2.2: a server SHOULD ignore empty lines received before the request-line.
      let skip = 0
      const buf = this.#buf
      while (skip + 1 < buf.length && buf[skip] === 13 && buf[skip + 1] === 10) skip += 2
      if (skip > 0) this.#consume(skip)
      if (this.#buf.length === 0 || (this.#buf.length === 1 && this.#buf[0] === 13)) return null
      this.#state = 'head'
      this.#scanner.reset()
    }
    if (fresh && this.#buf.length <= WHOLE_HEAD_BYTES) {
      // The usual first packet holds the whole head: decode it once and find its end in the
      // text, rather than searching the bytes and then decoding them.
      const text = latin1(this.#buf, 0, this.#buf.length)
      const blank = text.indexOf('\r\n\r\n')
      if (blank !== -1) {
        const end = blank + 4
        const head = parseRequestHeadText(end === text.length ? text : text.slice(0, end), this.#ctx.limits)
        this.#consume(end)
        return head
      }
    }
    const end = this.#scanner.scan(this.#buf, 0, this.#ctx.limits)
    if (end === -1) {
      // Only a head that does not arrive whole needs the slowloris deadline.
      if (fresh) this.#setDeadline('headers', this.#ctx.limits.headersTimeoutMs)
      return null
    }
    const head = parseRequestHead(this.#buf, 0, end, this.#ctx.limits)
    this.#consume(end)
    return head
  }

  /** Drops `n` read bytes; the whole chunk once all are read, so it can be collected young. */
  #consume(n: number): void {
    this.#buf = n === this.#buf.length ? EMPTY : this.#buf.subarray(n)
  }

  #onBody = (chunk: Buffer): void => {
    const ex = this.#ex!
    if (this.#state === 'draining') {
      ex.discarded += chunk.length
      const max = this.#ctx.limits.maxDiscardBodyBytes
      if (max !== null && ex.discarded > max) throw new DiscardLimit()
      return
    }
    if (!ex.input.push(chunk)) this.#pause()
    else if (this.#deadlineKind === 'body') this.#setDeadline('body', this.#ctx.limits.bodyReadTimeoutMs)
  }

  #bodyDone(): void {
    const ex = this.#ex!
    this.#deadlineKind = null
    if (this.#state === 'draining') this.#next()
    else {
      this.#bodyComing(ex)
      ex.input.end()
    }
  }

  #pause(): void {
    if (this.#paused) return
    this.#paused = true
    this.#socket.pause()
    if (this.#deadlineKind === 'body') this.#deadlineKind = null
  }

  #resume(): void {
    if (!this.#paused) return
    this.#paused = false
    this.#socket.resume()
    const decoder = this.#ex?.decoder
    if (this.#state === 'active' && decoder && !decoder.done) {
      this.#setDeadline('body', this.#ctx.limits.bodyReadTimeoutMs)
    }
  }

  // ----------------------------------------------------------------- one exchange

  #dispatch(head: RequestHead): void {
    const ctx = this.#ctx
    const ex = openExchange(head, ctx, this.#sink, this, this.#info.remoteAddress)
    this.#ex = ex
    this.#state = 'active'
    this.#deadlineKind = null
    if (ex.decoder !== null) this.#setDeadline('body', ctx.limits.bodyReadTimeoutMs)
    const environ = buildEnviron(head, this.#info, {
      input: ex.input,
      errors: ctx.errors,
      signal: () => this.#signalOf(ex),
      earlyHints: this.#earlyHints,
    })
    runApp(ctx.app, environ, ex.writer, this.#sink, this.#outcome, ex)
  }

  #finish(ex: Exchange, keepAlive: boolean): void {
    if (ex !== this.#ex) return
    ex.finished = true
    // A response the connection closed under (the client reset it, or left before it was
    // written) did not reach the client: 499, nginx's "client closed request".
    this.#logAccess(ex, this.#sink.closed && ex.gone !== null ? ex.gone.status : ex.writer.status)
    if (this.#state !== 'active') return
    // A bodyless request shares one ended input: nothing to detach.
    if (ex.decoder !== null) ex.input.detach()
    if (!keepAlive || this.#ctx.closing) {
      this.#close()
      return
    }
    const decoder = ex.decoder
    if (decoder !== null && !decoder.done) {
      if (this.#peerEnded) {
        this.#close()
        return
      }
      // RFC 9110 §10.1.1: the client may still be waiting for 100 Continue before sending
      // the body; closing is the only unambiguous way out.
      if (ex.head.framing.expectContinue && !ex.continueSent) {
        this.#close()
        return
      }
      this.#state = 'draining'
      this.#setDeadline('body', this.#ctx.limits.bodyReadTimeoutMs)
    } else {
      this.#next()
    }
    if (this.#socket.writableNeedDrain && this.#ex === null) {
      // A client that pipelines without reading would otherwise make us buffer every
      // response: read no further request until our output drains.
      this.#pause()
      this.#writeBlocked = true
      this.#deadlineKind = null
      void this.#sink.drained().then(() => {
        this.#writeBlocked = false
        if (this.#state !== 'idle') return
        this.#setDeadline('idle', this.#ctx.limits.keepAliveTimeoutMs)
        this.#resume()
        this.#advance()
      })
      return
    }
    this.#resume()
    this.#advance()
  }

  #appFailed(ex: Exchange, error: unknown): void {
    const fromInput = ex.input.error !== null && error === ex.input.error
    // The app (or an adapter) gave up with our own disconnect reason: not an app error.
    const code = (error as { code?: unknown } | null)?.code
    // SPEC 6.2: the app asked for its connection to be dropped (node's `socket.destroy()`); after
    // the client left, that is giving up too.
    const gaveUp =
      ex.gone !== null && (error === ex.gone || code === ex.gone.code || code === CONNECTION_DESTROYED)
    const dropped = !gaveUp && code === CONNECTION_DESTROYED
    if (!fromInput && !gaveUp && !dropped) {
      const where = `${ex.head.method} ${ex.head.rawTarget}`
      this.#ctx.errorLog(
        `tsgi: app error on ${where}\n${error instanceof Error ? error.stack : String(error)}\n`,
      )
    }
    if (ex !== this.#ex) return
    if (gaveUp || dropped) {
      // 499, nginx's "client closed request": nobody waits for a 500. 444, nginx's "connection
      // closed without response", when the app dropped it before sending anything. A response
      // cut short must not look complete.
      this.#logAccess(ex, gaveUp ? ex.gone!.status : ex.writer.headersSent ? ex.writer.status : 444)
      if (this.#state !== 'active') return
      // A drop ends the connection as closing a socket does: what was written still goes out,
      // then the FIN (a response cut short shows by its framing).
      if (ex.writer.headersSent && !dropped) this.#cut()
      else this.#close()
      return
    }
    if (this.#state === 'closing' || this.#state === 'closed') return
    // A body the client broke (bad chunk, too large) answers with its own status, not 500.
    const status = error instanceof ProtocolError && fromInput ? error.status : 500
    this.#logAccess(ex, ex.writer.headersSent ? ex.writer.status : status)
    if (ex.writer.headersSent) {
      // Part of the response is out: only cutting the connection tells the client it is broken.
      this.#cut()
      return
    }
    const head = ex.head.method === 'HEAD'
    this.#socket.write(serverResponse(status, httpDate(), this.#ctx.serverHeader, head), 'latin1')
    this.#close()
  }

  #logAccess(ex: Exchange, status: number): void {
    const log = this.#ctx.accessLog
    // One line per request: a body released after its request already failed (a timeout's
    // 408) must not log it again.
    if (log === null || ex.logged) return
    ex.logged = true
    this.#writeAccess(log, accessLogEntry(ex, status))
  }

  /**
   * The access line of a request refused before its head was read whole (400, 408, 414, 431,
   * 505): no method or target to show, so `"- - -"`, as nginx logs `"-"` for a request line it
   * could not read. Operators see the refusals; nothing of the request reaches the log.
   */
  #logRefused(status: number): void {
    const log = this.#ctx.accessLog
    if (log === null) return
    this.#writeAccess(log, {
      remoteAddr: this.#info.remoteAddress,
      method: '-',
      target: '-',
      protocol: '-',
      status,
      bytes: 0,
      durationMs: 0,
      startTime: new Date(),
    })
  }

  #writeAccess(log: (entry: AccessLogEntry) => void, entry: AccessLogEntry): void {
    try {
      log(entry)
    } catch (error) {
      // A throwing logger must not take the connection (or the process) down with it.
      this.#ctx.errorLog(`tsgi: access log failed\n${error instanceof Error ? error.stack : String(error)}\n`)
    }
  }

  #signalOf(ex: Exchange): AbortSignal {
    if (ex.controller === null) {
      ex.controller = new AbortController()
      if (ex.gone !== null) ex.controller.abort(ex.gone)
    }
    return ex.controller.signal
  }

  /** The client left while `ex` ran: abort its `tsgi.signal` (now, or when first read). */
  #clientGone(ex: Exchange): ClientDisconnectedError {
    if (ex.gone === null) {
      ex.gone = new ClientDisconnectedError()
      ex.controller?.abort(ex.gone)
    }
    return ex.gone
  }

  #sendEarlyHints(headers: HeaderList): Promise<void> {
    const ex = this.#ex
    // RFC 9110 §15.2: no 1xx to an HTTP/1.0 client.
    if (ex === null || ex.head.minor === 0 || ex.writer.headersSent || this.#sink.closed)
      return Promise.resolve()
    return this.#sink.send(interimResponse(103, headers), null, null)
      ? Promise.resolve()
      : this.#sink.drained()
  }

  #next(): void {
    this.#ex = null
    this.#state = 'idle'
    this.#setDeadline('idle', this.#ctx.limits.keepAliveTimeoutMs)
  }

  // ----------------------------------------------------------------- ending

  /** A protocol error or timeout: answer it if nothing was sent yet, then close. */
  #fail(error: unknown): void {
    if (this.#state === 'closing' || this.#state === 'closed') return
    const ex = this.#ex
    if (error instanceof DiscardLimit || this.#state === 'draining') {
      this.#close()
      return
    }
    if (!(error instanceof ProtocolError)) {
      this.#ctx.errorLog(`tsgi: internal error\n${error instanceof Error ? error.stack : String(error)}\n`)
    }
    const status = error instanceof ProtocolError ? error.status : 500
    if (ex !== null) {
      ex.input.fail(error instanceof Error ? error : new Error(String(error)))
      if (ex.writer.headersSent) {
        this.#cut()
        return
      }
      this.#logAccess(ex, status)
    } else {
      this.#logRefused(status)
    }
    // A head that failed to parse is still at the start of the buffer: its method, if it is one.
    const head = ex !== null ? ex.head.method === 'HEAD' : startsWithHead(this.#buf)
    this.#socket.write(serverResponse(status, httpDate(), this.#ctx.serverHeader, head), 'latin1')
    this.#close()
  }

  /** Ends a response cut short: what the app sent goes out (none of it held back), then the reset. */
  #cut(): void {
    this.#sink.release()
    this.#socket.destroy()
  }

  /** Sends our FIN after whatever is queued, then waits (bounded) for the client's. */
  #close(): void {
    if (this.#state === 'closing' || this.#state === 'closed') return
    this.#state = 'closing'
    this.#sink.closed = true
    this.#sink.wake()
    this.#socket.end()
    this.#resume()
    // Keep reading (and dropping) so the client's unread bytes do not turn our FIN into a
    // reset that destroys the response in flight; bounded by the keep-alive timeout (and by a
    // second during a shutdown, see shutdown()).
    this.#setDeadline('linger', this.#ctx.limits.keepAliveTimeoutMs ?? 5000)
  }

  #onEnd(): void {
    // The client sends nothing more. A FIN is how a closed browser tab or a killed curl
    // leaves, so the request in flight learns of it through tsgi.signal at once, as
    // node:http's 'aborted'/'close' do. It may also be a half-close whose sender still
    // reads (RFC 9112 §9.6), so the response is still written while the socket takes it,
    // and complete requests sent before the FIN are still answered (#step closes once no
    // complete request is left); an unfinished one never will be.
    this.#peerEnded = true
    const state = this.#state
    if (state === 'idle' || state === 'head') {
      if (!this.#writeBlocked) this.#advance()
    } else if (state === 'draining') this.#close()
    else if (state === 'active') {
      const ex = this.#ex!
      if (ex.decoder !== null && !ex.decoder.done) ex.input.fail(new IncompleteBodyError())
      this.#clientGone(ex)
    } else if (state === 'closing') this.#socket.destroy()
  }

  #onSocketClose(): void {
    const ex = this.#ex
    this.#state = 'closed'
    this.#deadlineKind = null
    this.#sink.closed = true
    this.#sink.wake()
    // A response already sent (then the connection closed, `Connection: close` or HTTP/1.0)
    // was not disconnected from: its signal stays quiet, as node:http's does.
    if (ex !== null && !ex.finished) ex.input.fail(this.#clientGone(ex))
    this.#onClose(this)
    // Node frees a closed socket with its handle, after a GC or two: whatever its listeners hold
    // (this connection, its last request) would be promoted with it. Let go of it all now, so
    // that with a new connection per request (a proxy's HTTP/1.0, `Connection: close`) each one
    // still dies young.
    const socket = this.#socket
    socket.removeListener('data', this.#dataListener)
    socket.removeListener('end', this.#endListener)
    socket.removeListener('close', this.#closeListener)
    this.#sink.detach()
    this.#buf = EMPTY
    // An exchange still running keeps its place: its end (the 499 of its access line) comes later.
    if (ex?.finished !== false) this.#ex = null
  }

  /**
   * Arms the one pending timeout. The clock is read by the server's sweep, not here: the
   * sweep's next pass stamps the deadline, so no request reads the clock, and a timeout fires
   * between `ms` and `ms` plus two sweep periods after it was set.
   */
  #setDeadline(kind: DeadlineKind, ms: number | null): void {
    if (ms === null) {
      this.#deadlineKind = null
      return
    }
    this.#deadlineKind = kind
    this.#deadlineMs = ms
    this.#deadline = UNSTAMPED
  }
}

function ignoreError(): void {}

/** Whether `buf` starts with the request line of a HEAD request (`HEAD` and a space). */
function startsWithHead(buf: Uint8Array): boolean {
  // 'H', 'E', 'A', 'D', ' '
  return buf.length >= 5 && buf[0] === 72 && buf[1] === 69 && buf[2] === 65 && buf[3] === 68 && buf[4] === 32
}
