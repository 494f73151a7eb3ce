import type { Body, ErrorStream, HeaderList, StartResponse, Write } from '@tsgi/core'

type Chunks = Iterator<Uint8Array> | AsyncIterator<Uint8Array>

/** RFC 9110 §6.4.1 (and `Response`'s own rule): these statuses carry no content. */
const NULL_BODY_STATUSES = new Set([101, 103, 204, 205, 304])

/** A `write()` waiting for the runtime to take its bytes. */
interface Written {
  chunk: Uint8Array
  taken: () => void
}

/** What the app's call came to: its body, or what it threw. */
type Outcome = { body: Body } | { error: unknown }

/**
 * One gateway response turned into a fetch `Response`. It plays the server's part of PEP 3333:
 * `startResponse` records the status and headers (replaceable with `excInfo` until they are
 * sent); the `Response` is created once the first non-empty chunk exists, the body ended, or the
 * app called `write()` (even empty: that sends the head, SPEC `server.deferred-headers`), so a late
 * `startResponse` with `excInfo` can still change the status until then. The body then streams:
 * each `write()` resolves when the runtime took its bytes (so an app that awaits its writes
 * follows the client's pace), and the next chunk of the body is asked of the app only when the
 * runtime reads one.
 */
export class GatewayResponse {
  #status: string | undefined
  #headers: HeaderList = []
  #queue: Written[] = []
  #sent = false
  #head: boolean
  #errors: ErrorStream
  #closed = false
  #cancelled = false
  #dropWrites = false
  /** The stream ended: a later write() has nowhere to go. */
  #ended = false
  /** Called when the app wrote, or returned: a pull waiting for either goes on. */
  #wake: (() => void) | null = null
  /** Set on the first `write()`: the head must go out now. */
  #flushRequested: (() => void) | null = null
  #flushed = new Promise<void>((resolve) => {
    this.#flushRequested = resolve
  })

  constructor(head: boolean, errors: ErrorStream) {
    this.#head = head
    this.#errors = errors
  }

  startResponse: StartResponse = (status, headers, excInfo) => {
    // Any thrown value is an excInfo, `null` included; only `undefined` means none (SPEC §6).
    if (excInfo !== undefined) {
      // PEP 3333: headers already on their way -> re-raise the app's own error.
      if (this.#sent) throw excInfo
    } else if (this.#status !== undefined) {
      throw new Error('startResponse() was called a second time without excInfo')
    }
    this.#status = status
    this.#headers = headers
    return this.#write
  }

  #write: Write = (chunk) => {
    // Programming errors throw where they are made, as the tsgi server's write() does.
    if (this.#status === undefined) throw new Error('write() was called before startResponse()')
    if (!(chunk instanceof Uint8Array)) throw new TypeError('write() takes a Uint8Array')
    if (this.#cancelled) return rejected('the client disconnected')
    if (this.#ended) return rejected('write() after the response ended')
    // The head is due from here on: a later startResponse with excInfo re-throws (SPEC §6).
    this.#sent = true
    this.#flushRequested?.()
    this.#flushRequested = null
    // HEAD, 204, 304: the head went out without a body, so written bytes have nowhere to go.
    if (chunk.byteLength === 0 || this.#dropWrites) return Promise.resolve()
    return new Promise<void>((taken) => {
      this.#queue.push({ chunk, taken })
      this.#wake?.()
    })
  }

  /**
   * The app failed before its head went out: a 500, as a TSGI server answers (SPEC
   * `server.app-error`), and the error in `tsgi.errors`, not left to the runtime.
   */
  failed(error: unknown): Response {
    this.#report(error)
    return new Response('Internal Server Error', {
      status: 500,
      headers: { 'Content-Type': 'text/plain; charset=utf-8' },
    })
  }

  /**
   * Answers once the head is due: when the app returned (then after its first non-empty chunk,
   * or the end of its body), or as soon as it called `write()`, while it still runs.
   */
  async respond(call: Promise<Body>): Promise<Response> {
    const outcome: Promise<Outcome> = call.then(
      (body) => ({ body }),
      (error: unknown) => ({ error }),
    )
    const first = await Promise.race([outcome, this.#flushed.then(() => null)])
    if (first === null || this.#flushRequested === null) return this.#respondWhileRunning(outcome)
    if ('error' in first) return this.#failBeforeHead(first.error, undefined, undefined)
    return this.#respondWith(first.body)
  }

  /** The app returned: waits for the first non-empty chunk (or the end), then answers. */
  async #respondWith(body: Body): Promise<Response> {
    if (Array.isArray(body) && this.#queue.length === 0 && this.#status !== undefined && !this.#bodiless()) {
      return this.#respondWhole(body as Uint8Array[])
    }
    let chunks: Chunks | undefined
    let first: Uint8Array | undefined
    let init: ResponseInit
    try {
      chunks = iterate(body)
      first = this.#takeWritten() ?? (await nextNonEmpty(chunks))
      if (this.#status === undefined) throw new Error('the app returned without calling startResponse()')
      init = this.#init()
    } catch (error) {
      return this.#failBeforeHead(error, body, chunks)
    }
    if (first === undefined || this.#bodiless()) {
      this.#releaseWrites()
      await this.#finishQuietly(body, chunks)
      return new Response(null, init)
    }
    return new Response(this.#stream(first, Promise.resolve({ body }), body, chunks), init)
  }

  /**
   * A body given whole, as an array: one `Uint8Array`, so the runtime can send its length, as a
   * TSGI server sends `Content-Length` for it (SPEC S11).
   */
  async #respondWhole(body: Uint8Array[]): Promise<Response> {
    let bytes: Uint8Array
    let init: ResponseInit
    try {
      // Iterated once, as a server does (validate() watches the body's iteration).
      const parts: Uint8Array[] = []
      for (const chunk of body) {
        if (!(chunk instanceof Uint8Array)) throw new TypeError('body chunks must be Uint8Array')
        parts.push(chunk)
      }
      bytes = parts.length === 1 ? parts[0]! : Buffer.concat(parts)
      init = this.#init()
    } catch (error) {
      return this.#failBeforeHead(error, body, undefined)
    }
    this.#ended = true
    await this.#finishQuietly(body, undefined)
    return new Response(bytes.byteLength === 0 ? null : bytes, init)
  }

  /** The app wrote while it runs: the head goes out now, its bytes follow as they are written. */
  #respondWhileRunning(outcome: Promise<Outcome>): Response {
    let init: ResponseInit
    try {
      init = this.#init()
    } catch (error) {
      // A status or header the runtime refuses: 500, and the app's writes are released.
      this.#cancelled = true
      this.#releaseWrites()
      void outcome.then((settled) => {
        if ('body' in settled) void this.#finishQuietly(settled.body, undefined)
      })
      return this.failed(error)
    }
    // Anything the app does from here on reaches a pull waiting for it.
    void outcome.then(() => this.#wake?.())
    if (this.#bodiless()) {
      this.#releaseWrites()
      void outcome.then((settled) => {
        if ('error' in settled) this.#report(settled.error)
        else void this.#finishQuietly(settled.body, undefined)
      })
      return new Response(null, init)
    }
    return new Response(this.#stream(undefined, outcome, undefined, undefined), init)
  }

  async #failBeforeHead(
    error: unknown,
    body: Body | undefined,
    chunks: Chunks | undefined,
  ): Promise<Response> {
    this.#cancelled = true
    this.#releaseWrites()
    if (body !== undefined) await this.#finishQuietly(body, chunks)
    return this.failed(error)
  }

  /** The head as `Response` takes it; throws for a status or header it would refuse. */
  #init(): ResponseInit {
    this.#sent = true
    const status = this.#status!
    const code = Number(status.slice(0, 3))
    if (!(code >= 200 && code <= 599)) throw new RangeError(`invalid status ${JSON.stringify(status)}`)
    return { status: code, statusText: status.slice(4), headers: toHeaders(this.#headers) }
  }

  #bodiless(): boolean {
    return this.#head || NULL_BODY_STATUSES.has(Number(this.#status!.slice(0, 3)))
  }

  /** The oldest written chunk, its `write()` resolved as the runtime takes it. */
  #takeWritten(): Uint8Array | undefined {
    const written = this.#queue.shift()
    if (written === undefined) return undefined
    written.taken()
    return written.chunk
  }

  /** Writes nobody will send (a bodiless response, a failure): their promises resolve, now and later. */
  #releaseWrites(): void {
    this.#dropWrites = true
    for (const written of this.#queue.splice(0)) written.taken()
  }

  #report(error: unknown): void {
    const text = error instanceof Error ? (error.stack ?? String(error)) : String(error)
    this.#errors.write(`@tsgi/adapters toFetchHandler: ${text}\n`)
  }

  /** PEP 3333: close() once, after completion, error or disconnect; the iterator's return() first. */
  async #finish(body: Body, chunks: Chunks | undefined, stranded = false): Promise<void> {
    if (this.#closed) return
    this.#closed = true
    try {
      // A step still in flight (an idle stream) keeps return() waiting: close() must not wait.
      if (stranded) Promise.resolve(chunks?.return?.()).catch((error: unknown) => this.#report(error))
      else await chunks?.return?.()
    } finally {
      await body.close?.()
    }
  }

  /** #finish, its failure logged rather than thrown: the answer is settled already. */
  async #finishQuietly(body: Body, chunks: Chunks | undefined, stranded = false): Promise<void> {
    await this.#finish(body, chunks, stranded).catch((error: unknown) => this.#report(error))
  }

  #stream(
    first: Uint8Array | undefined,
    outcome: Promise<Outcome>,
    knownBody: Body | undefined,
    knownChunks: Chunks | undefined,
  ): ReadableStream<Uint8Array> {
    let body = knownBody
    let chunks = knownChunks
    let settled: Outcome | undefined = knownBody === undefined ? undefined : { body: knownBody }
    void outcome.then((result) => {
      settled = result
    })
    const next = async (): Promise<Uint8Array | undefined> => {
      // Written bytes first, in order; then, once the app returned, its body.
      for (;;) {
        const written = this.#takeWritten()
        if (written !== undefined) return written
        if (settled !== undefined) break
        await new Promise<void>((resolve) => {
          this.#wake = resolve
        })
        this.#wake = null
      }
      // Woken by a cancel: nothing more is asked of the body.
      if (this.#cancelled) return undefined
      if ('error' in settled) throw settled.error
      body = settled.body
      chunks ??= iterate(body)
      return nextNonEmpty(chunks)
    }
    let pending = first
    let inFlight = false
    return new ReadableStream<Uint8Array>(
      {
        pull: async (controller): Promise<void> => {
          try {
            inFlight = true
            const chunk = pending ?? (await next().finally(() => (inFlight = false)))
            pending = undefined
            // Cancelled while the chunk was coming: the stream takes nothing more.
            if (this.#cancelled) return
            if (chunk !== undefined) return controller.enqueue(chunk)
            this.#ended = true
            if (body !== undefined) await this.#finishQuietly(body, chunks)
            controller.close()
          } catch (error) {
            if (this.#cancelled) return
            // Part of the response is out: the stream fails, so the client sees it cut short.
            this.#report(error)
            if (body !== undefined) await this.#finishQuietly(body, chunks)
            controller.error(error)
          }
        },
        // The runtime cancels when the client goes away: PEP 3333 close() on disconnect, and
        // write() rejects from now on.
        cancel: async () => {
          this.#cancelled = true
          this.#releaseWrites()
          this.#wake?.()
          const result = settled ?? (await outcome)
          if ('body' in result) await this.#finishQuietly(result.body, chunks, inFlight)
          else this.#report(result.error)
        },
      },
      { highWaterMark: 0 },
    )
  }
}

/** `write()` once the client is gone or the response ended: rejects, handled in advance (an unawaited write cannot crash). */
function rejected(message: string): Promise<void> {
  const promise = Promise.reject(new Error(message))
  promise.catch(() => {})
  return promise
}

function iterate(body: Body): Chunks {
  const asyncIterable = body as AsyncIterable<Uint8Array>
  if (typeof asyncIterable[Symbol.asyncIterator] === 'function') return asyncIterable[Symbol.asyncIterator]()
  return (body as Iterable<Uint8Array>)[Symbol.iterator]()
}

async function nextNonEmpty(chunks: Chunks): Promise<Uint8Array | undefined> {
  for (;;) {
    const step = await chunks.next()
    if (step.done) return undefined
    if (!(step.value instanceof Uint8Array)) throw new TypeError('body chunks must be Uint8Array')
    if (step.value.byteLength > 0) return step.value
  }
}

function toHeaders(list: HeaderList): Headers {
  const headers = new Headers()
  for (const [name, value] of list) headers.append(name, value)
  return headers
}
