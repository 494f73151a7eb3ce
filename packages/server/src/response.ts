import type { HeaderList, StartResponse, Write } from '@tsgi/core'
import { AppResponseError, ClientDisconnectedError, StartResponseTwiceError } from './errors.ts'
import { chunkHeader, type PlanRequest, planResponse, type ResponsePlan } from './http/response-head.ts'
import { show } from './show.ts'

/** Where a response goes: the connection, or a test's array. */
export interface ResponseSink {
  /**
   * Writes `head`, then `body`, then `tail`, as one unit (any may be null). Returns false
   * when the transport's buffer is full: the caller awaits `drained()` before writing more.
   */
  send(head: string | null, body: Uint8Array | null, tail: string | null): boolean
  /**
   * Holds what is sent for the rest of this turn of the event loop and sends it together at its
   * end, as node:http corks a response: a body's chunks made in one turn (a generator, a loop of
   * `write`s) leave in one syscall, not one each.
   */
  holdTurn(): void
  /** Resolves when the transport can take more bytes, or is closed. */
  drained(): Promise<void>
  /** Calls `listener` once the peer is gone (at once if it is); returns how to stop listening. */
  onGone(listener: () => void): () => void
  /** The peer is gone: nothing written arrives anywhere. */
  readonly closed: boolean
}

const RESOLVED: Promise<void> = Promise.resolve()
// Until startResponse: shared, never mutated (planResponse only reads the list).
const NO_HEADERS: HeaderList = []

/**
 * One response: `startResponse` semantics (DESIGN.md), head planning, and body framing.
 * Headers go out with the first non-empty chunk, or at `end()`. Touches no socket.
 */
export class ResponseWriter {
  readonly startResponse: StartResponse
  /** The `write` callable `startResponse` returns. */
  readonly write: Write
  #sink: ResponseSink
  #req: PlanRequest
  #log: (text: string) => void
  #status: string | null = null
  #headers: HeaderList = NO_HEADERS
  #plan: ResponsePlan | null = null
  #sent = 0
  #warned = false
  #lateWarned = false
  #ended = false

  constructor(sink: ResponseSink, req: PlanRequest, log: (text: string) => void) {
    this.#sink = sink
    this.#req = req
    this.#log = log
    // Bound methods, not arrow functions: until V8 optimizes the code, a closure made per
    // request stays alive, with its context (this writer, its plan, its exchange), past the next
    // scavenges, which on Node 24 grew the young generation for good in the first moments of a
    // load (docs/benchmarks.md, "Per-request objects"). A bound function has no context.
    this.startResponse = this.#startResponse.bind(this)
    this.write = this.#writeCallable.bind(this)
  }

  /** The app's `startResponse` (bound in the constructor). */
  #startResponse(status: string, headers: HeaderList, excInfo?: unknown): Write {
    if (this.#ended) throw new AppResponseError('startResponse called after the response ended')
    if (this.#status !== null && excInfo === undefined) throw new StartResponseTwiceError()
    // PEP 3333: with excInfo after the head went out, re-raise the app's error.
    if (excInfo !== undefined && this.#plan !== null) throw excInfo
    // SPEC response.status, headers.list: checked here, so a record or a Headers object is an
    // error where the app made it, not a response without its headers.
    if (typeof status !== 'string')
      throw new AppResponseError(`invalid status ${show(status)}: expected a string like '200 OK'`)
    if (!Array.isArray(headers))
      throw new AppResponseError(`invalid headers ${show(headers)}: expected an array of [name, value] pairs`)
    this.#status = status
    this.#headers = headers
    return this.write
  }

  /** The `write` callable `startResponse` returns (bound in the constructor). */
  #writeCallable(chunk: Uint8Array): Promise<void> {
    if (this.#ended) return this.#lateWrite()
    if (this.#sink.closed) return disconnected()
    return this.#write(chunk) ? RESOLVED : this.#sink.drained()
  }

  /**
   * A `write` after the response ended (from a timer, a late callback): nothing can reach the
   * client any more, so the bytes are dropped and said so in the log. A rejection rather than a
   * throw, handled in advance: a stray call must not take the process down.
   */
  #lateWrite(): Promise<void> {
    // Once per response: a stray setInterval must not flood the log.
    if (!this.#lateWarned)
      this.#log('tsgi: write() called after the response ended; the bytes were dropped\n')
    this.#lateWarned = true
    const late = Promise.reject(new AppResponseError('write after the response ended'))
    late.catch(() => {})
    return late
  }

  /** The head was sent. */
  get headersSent(): boolean {
    return this.#plan !== null
  }

  /** The response has no body on the wire (HEAD, 204, 304); known once the head is planned. */
  get bodiless(): boolean {
    return this.#plan?.mode === 'none'
  }

  /** The status code sent (0 before the head went out). */
  get status(): number {
    return this.#plan?.status ?? 0
  }

  /** Body bytes sent, framing excluded. */
  get bytesSent(): number {
    return this.#sent
  }

  /** Sends one body chunk; false when the caller should await `drained()`. */
  chunk(chunk: Uint8Array): boolean {
    // A late write must never leak into the next response on a keep-alive connection.
    if (this.#ended) throw new AppResponseError('write after the response ended')
    if (!(chunk instanceof Uint8Array)) throw new AppResponseError('body chunks must be Uint8Array')
    if (chunk.length === 0) return true
    const head = this.#plan === null ? this.#start(null).head : null
    this.#sink.holdTurn()
    return this.#frame(head, chunk)
  }

  /**
   * The legacy `write`. PEP 3333: the head goes out "upon the application's first invocation
   * of the write() callable", whatever the chunk, so `write(new Uint8Array(0))` flushes it at
   * once (the Node bridge maps `res.flushHeaders()` to exactly that; SSE needs the head before
   * the first event). An empty chunk from the body iterable does not: middleware yields those
   * while it waits.
   */
  #write(chunk: Uint8Array): boolean {
    if (this.#plan !== null || this.#ended || !(chunk instanceof Uint8Array) || chunk.length !== 0)
      return this.chunk(chunk)
    // The head alone: an empty chunk framed as chunked would read as the last chunk.
    return this.#sink.send(this.#start(null).head, null, null)
  }

  /** Sends a whole in-memory body: its length is known, so it goes out with Content-Length. */
  all(chunks: readonly Uint8Array[]): boolean {
    if (this.#plan !== null) {
      let ok = true
      for (const chunk of chunks) ok = this.chunk(chunk)
      return ok
    }
    let total = 0
    for (const chunk of chunks) {
      if (!(chunk instanceof Uint8Array)) throw new AppResponseError('body chunks must be Uint8Array')
      total += chunk.length
    }
    const { head } = this.#start(total)
    if (chunks.length === 1) return this.#frame(head, chunks[0]!)
    const body = total === 0 ? null : Buffer.concat(chunks as Uint8Array[], total)
    return body === null ? this.#sink.send(head, null, null) : this.#frame(head, body)
  }

  /** Ends the body; returns whether the connection may carry another request. */
  end(): boolean {
    this.#ended = true
    if (this.#plan === null) {
      const { head } = this.#start(0)
      this.#sink.send(head, null, null)
    } else if (this.#plan.mode === 'chunked') {
      this.#sink.send(null, null, '0\r\n\r\n')
    }
    const plan = this.#plan!
    // Fewer bytes than the app's Content-Length: only a close tells the client (RFC 9112 §8).
    if (plan.mode === 'length' && this.#sent < plan.length) {
      this.#log(`tsgi: response ended after ${this.#sent} of ${plan.length} declared bytes; closing\n`)
      return false
    }
    return plan.keepAlive
  }

  #start(knownLength: number | null): ResponsePlan {
    if (this.#status === null)
      throw new AppResponseError('the app returned a body without calling startResponse')
    this.#plan = planResponse(this.#status, this.#headers, knownLength, this.#req)
    return this.#plan
  }

  #frame(head: string | null, chunk: Uint8Array): boolean {
    const plan = this.#plan!
    switch (plan.mode) {
      case 'none':
        return head === null ? true : this.#sink.send(head, null, null)
      case 'chunked':
        this.#sent += chunk.length
        return this.#sink.send(
          head === null ? chunkHeader(chunk.length) : head + chunkHeader(chunk.length),
          chunk,
          '\r\n',
        )
      case 'length': {
        const room = plan.length - this.#sent
        if (chunk.length > room) {
          // Never send more than declared: the surplus would be read as the next response.
          if (!this.#warned)
            this.#log(`tsgi: response body longer than its Content-Length ${plan.length}; truncated\n`)
          this.#warned = true
          chunk = chunk.subarray(0, room)
          if (chunk.length === 0) return head === null ? true : this.#sink.send(head, null, null)
        }
        this.#sent += chunk.length
        return this.#sink.send(head, chunk, null)
      }
      case 'close':
        this.#sent += chunk.length
        return this.#sink.send(head, chunk, null)
    }
  }
}

/**
 * SPEC `write.returns-promise`: once the connection is gone, `write` rejects, so a producer that
 * awaits it stops. The rejection is pre-handled: an app that never awaits its writes must not
 * take the process down with an unhandled rejection.
 */
function disconnected(): Promise<void> {
  const gone = Promise.reject(new ClientDisconnectedError())
  gone.catch(() => {})
  return gone
}
