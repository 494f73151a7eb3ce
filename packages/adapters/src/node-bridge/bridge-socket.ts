import type { IncomingMessage } from 'node:http'
import type { AddressInfo } from 'node:net'
import { Duplex } from 'node:stream'
import type { Environ } from '@tsgi/core'
import { connectionReset } from './errors.ts'
import { readingUpload } from './upload-state.ts'

/** One write as node made it: bytes, or a string and its encoding (the socket does not decode). */
export interface Written {
  chunk: Buffer | string
  encoding: BufferEncoding
}

/** What the socket's owner does with the bytes node writes, and hears when the socket dies. */
export interface SocketHost {
  /** One socket write (several when node corked them); `done` acknowledges it. */
  write(chunks: Written[], done: () => void): void
  /** The socket was destroyed, by the app (`socket.destroy()`, `res.destroy()`) or by the bridge. */
  destroyed(error: Error | null): void
}

const DISCARD: SocketHost = { write: (_chunks, done) => done(), destroyed: () => {} }

/**
 * The `net.Socket` stand-in under a bridged `IncomingMessage`/`ServerResponse`: a real `Duplex`.
 * Its readable side is the request body, pulled from `tsgi.input` one chunk at a time only when
 * the request stream asks (`IncomingMessage#_read` resumes the socket, exactly as on node:http),
 * so an upload is never buffered whole. Its writable side is the serialised response, handed to a
 * {@link SocketHost}. The peer and local addresses come from the environ; `encrypted` is set for
 * `https`, which is what Express (`req.protocol`) and Koa (`ctx.protocol`) read. It is never
 * ended: like a keep-alive connection it stays readable and writable until destroyed, and it
 * carries the connection's next request when the server says which connection that is
 * ({@link reuse}).
 */
export class BridgeSocket extends Duplex {
  readonly remoteAddress: string | undefined
  readonly remotePort: number | undefined
  readonly remoteFamily: string | undefined
  readonly localAddress: string | undefined
  readonly localPort: number | undefined
  /** Only present on TLS connections, as on `tls.TLSSocket`. */
  declare readonly encrypted?: true
  readonly connecting = false
  /** Not waiting to connect, as a connected `net.Socket` (`!this._handle || this.connecting`). */
  readonly pending = false
  timeout: number | undefined
  /** Request body bytes delivered, as `net.Socket#bytesRead` (the head is not counted: it never was bytes here). */
  bytesRead = 0
  /** Response bytes node wrote (head included), as `net.Socket#bytesWritten`. */
  bytesWritten = 0
  #input: Environ['tsgi.input'] | undefined
  #iterator: AsyncIterator<Uint8Array> | undefined
  #reading = false
  #inputEnded = false
  #stopped = false
  #host: SocketHost = DISCARD
  #timer: ReturnType<typeof setTimeout> | undefined
  #request: IncomingMessage | undefined
  #expected = -1
  /** Body bytes taken from tsgi.input (some may still wait in this stream's buffer). */
  #taken = 0
  /** Body bytes pushed into the request. */
  #received = 0
  /** Bytes handed to the host whose write callback has not run yet. */
  #unacknowledged = 0
  /** The host is taking a write right now (a destroy from inside it must not hand it more). */
  #handing = false
  /** The exchange is over ({@link release}). */
  #released = false
  /** The `'data'` listener that feeds requests is on. */
  #feeding = false
  /**
   * A `_read` found nothing to pull (no request body wanted yet, or the last one ended): the
   * stream waits for a push and will not call `_read` again, so the next request's first read
   * (`resume()`) pulls instead.
   */
  #wanting = false

  constructor(environ: Environ, input?: AsyncIterator<Uint8Array>) {
    // Strings stay strings: node writes its response head as one, which the bridge reads as
    // text; encoding it to bytes only to decode it again would be wasted work.
    // 'close' is emitted by `_destroy` a turn later, as `net.Socket` emits it when its handle has
    // closed: a destroyed request's own 'close' (a tick later) comes first, as on node:http.
    super({ decodeStrings: false, emitClose: false })
    this.#iterator = input
    this.remoteAddress = environ.REMOTE_ADDR
    this.remotePort = environ.REMOTE_PORT ? Number(environ.REMOTE_PORT) : undefined
    this.remoteFamily = family(environ.REMOTE_ADDR)
    // LOCAL_* is where the connection arrived; SERVER_* (from Host) only stands in without it.
    this.localAddress = environ.LOCAL_ADDR ?? environ.SERVER_NAME
    this.localPort = Number(environ.LOCAL_PORT ?? environ.SERVER_PORT)
    if (environ['tsgi.url_scheme'] === 'https') Object.defineProperty(this, 'encrypted', { value: true })
    this.#input = environ['tsgi.input']
  }

  /**
   * Takes the next request of the same connection, as node:http's socket carries every request
   * of a keep-alive connection: `req.socket` stays the same object (per-connection state keyed on
   * it carries over), its `bytesRead`/`bytesWritten` keep counting, and one `Duplex` serves the
   * connection instead of one per request. False while anything of the last exchange is still
   * going on (it is not released: a pipelined request can come before node finished the last
   * response; an upload still read after its response; bytes in flight) or when the app
   * destroyed or ended the socket: the request then gets a socket of its own. As node:http does
   * before each request, an inactivity timeout set during the last one does not carry over.
   */
  reuse(environ: Environ, input: AsyncIterator<Uint8Array> | undefined): boolean {
    if (!this.#released || this.#request !== undefined || this.#reading) return false
    // Destroyed, or ended by the app (`socket.end()`): node:http would have closed the connection.
    if (this.destroyed || !this.readable || !this.writable || this.writableEnded) return false
    if (this.#unacknowledged > 0 || this.writableLength > 0 || this.writableCorked > 0) return false
    if (this.readableLength > 0 || (this as { _httpMessage?: unknown })._httpMessage) return false
    this.#released = false
    this.#stopped = false
    this.#inputEnded = false
    this.#input = environ['tsgi.input']
    this.#iterator = input
    this.#expected = -1
    this.#taken = 0
    this.#received = 0
    clearTimeout(this.#timer)
    this.#timer = undefined
    this.timeout = undefined
    return true
  }

  /** Who gets the response bytes and hears of the socket's end. */
  get host(): SocketHost {
    return this.#host
  }

  /** Routes the response bytes to `host` (before that, writes are acknowledged and dropped). */
  attach(host: SocketHost): void {
    this.#host = host
  }

  /**
   * Feeds `request` from this socket, as node's HTTP parser does: pushes body bytes into it,
   * pauses the socket when the request's buffer is full, and ends it (`complete`) after `length`
   * bytes, or at the end of `tsgi.input` when `length` is `-1` (chunked uploads).
   */
  feed(request: IncomingMessage, length: number, first?: Uint8Array): void {
    this.#request = request
    this.#expected = length
    // Paused before the listener goes on, so nothing is read from tsgi.input until the app reads.
    this.pause()
    if (!this.#feeding) {
      this.#feeding = true
      this.on('data', this.#onData)
    }
    if (first) this.push(first)
  }

  /** The request's reads resume the socket (`IncomingMessage#_read`): a read left waiting pulls now. */
  override resume(): this {
    super.resume()
    if (this.#wanting && this.#request !== undefined) {
      this.#wanting = false
      this._read()
    }
    return this
  }

  /**
   * Stops pulling from `tsgi.input`: the server took it back (the gateway body was closed) and
   * discards what is left of the body. What that means for a request still short of its end is
   * what it means on node:http. A body the app was not reading node reads off the connection and
   * throws away (`_dump`), then the request ends ('end', 'close'): so it ends here. A body the app
   * is reading node goes on delivering (the bridge holds the response's end back for it, see
   * `Exchange`); the server only takes the input back from under it when the client left or the
   * app stopped reading, and then the request fails as one whose connection dropped ('aborted',
   * 'error' ECONNRESET, 'close'), never ending as if the body were whole.
   */
  stopInput(): void {
    this.#stopped = true
    const request = this.#request
    if (!request || request.complete || request.destroyed || this.#inputEnded) return
    if (readingUpload(request)) {
      request.destroy(connectionReset())
    } else {
      request.complete = true
      request.push(null)
    }
  }

  /**
   * The exchange is over: lets go of the host and `tsgi.input`, stops reading, and lets go of
   * the request once its upload has ended.
   * A socket outlives its exchange: the connection's next request may take it ({@link reuse}),
   * the app may keep `req.socket`, and on Node 24 every
   * `Writable` survives its first scavenge (its state's write callback is a closure over the
   * stream, made in a constructor). Holding the exchange, it kept the whole request alive with
   * it (a parsed upload on `req.body`), which V8 then copied and promoted (docs/benchmarks.md,
   * "Objects that outlive a scavenge"). From here on a timeout nobody hears, or an error,
   * destroys it, as node:http does a socket with no request on it; what is written to it goes
   * nowhere, as nothing is behind it any more.
   */
  release(): void {
    this.#released = true
    this.#stopped = true
    this.#host = DISCARD
    this.#input = undefined
    this.#iterator = undefined
    // An upload the app has not read to its end yet keeps flowing from what was already taken
    // from tsgi.input (an app may answer first and read after): the request goes at its end.
    const request = this.#request
    if (request === undefined || request.complete || request.destroyed) this.#request = undefined
  }

  override _read(): void {
    const input = this.#input
    if (this.#reading) return
    if (this.#inputEnded || this.#stopped || !this.#request || !input) {
      this.#wanting = true
      return
    }
    this.#reading = true
    this.#wanting = false
    this.#iterator ??= input[Symbol.asyncIterator]()
    this.#iterator.next().then(
      (step) => {
        this.#reading = false
        if (this.destroyed) return
        if (step.done || step.value.byteLength === 0) {
          this.#inputEnded = true
          // Nothing pushed: the stream still waits on this read.
          this.#wanting = true
          this.#settle()
        } else {
          this.#touch()
          this.#taken += step.value.byteLength
          // The declared length is in hand: the body is whole without waiting for the input to
          // say so (a server never gives more than CONTENT_LENGTH, SPEC input.content-length).
          if (this.#expected >= 0 && this.#taken >= this.#expected) this.#inputEnded = true
          this.push(step.value)
        }
      },
      (error: unknown) => {
        this.#reading = false
        this.destroy(error instanceof Error ? error : new Error(String(error)))
      },
    )
  }

  /** Every byte written reached the host: none waits in the stream's buffer behind an open write. */
  get flushed(): boolean {
    return this.writableLength === this.#unacknowledged
  }

  override _write(
    chunk: Buffer | string,
    encoding: BufferEncoding,
    done: (error?: Error | null) => void,
  ): void {
    this.#hand([{ chunk, encoding }], done)
  }

  override _writev(chunks: Written[], done: (error?: Error | null) => void): void {
    this.#hand(chunks, done)
  }

  #hand(chunks: Written[], done: (error?: Error | null) => void): void {
    this.#touch()
    // Writable counts a string's length in characters, a buffer's in bytes: so does `flushed`.
    let length = 0
    for (const { chunk, encoding } of chunks) {
      length += chunk.length
      this.bytesWritten += typeof chunk === 'string' ? Buffer.byteLength(chunk, encoding) : chunk.byteLength
    }
    this.#unacknowledged += length
    this.#handing = true
    try {
      this.#host.write(chunks, () => {
        this.#unacknowledged -= length
        done()
      })
    } finally {
      this.#handing = false
    }
  }

  override _destroy(error: Error | null, done: (error?: Error | null) => void): void {
    clearTimeout(this.#timer)
    // A real socket has handed what node wrote to the kernel before it is destroyed (`res.end()`
    // then `socket.destroy()` still delivers the response): so do the writes that wait in this
    // stream's buffer behind the one the host holds. Corked writes (node corks a `res.write()`
    // until the next tick) never reached a real socket's kernel: they are lost, as there. A
    // destroy from inside the host's own write (it refused what node wrote) hands it nothing:
    // the buffer then still lists the very chunks it is taking.
    const waiting = (this as { writableBuffer?: Written[] }).writableBuffer
    if (!this.#handing && waiting !== undefined && waiting.length > 0 && this.writableCorked === 0) {
      this.#host.write(
        waiting.map(({ chunk, encoding }) => ({ chunk, encoding })),
        () => {},
      )
    }
    this.#host.destroyed(error)
    done(error)
    setImmediate(emitClose, this, error !== null)
  }

  /** Inactivity timeout, as `net.Socket#setTimeout`: `'timeout'` after `ms` without reads or writes. */
  setTimeout(ms: number, callback?: () => void): this {
    if (this.destroyed) return this
    this.timeout = ms
    clearTimeout(this.#timer)
    this.#timer = undefined
    if (callback) {
      if (ms === 0) this.removeListener('timeout', callback)
      else this.once('timeout', callback)
    }
    this.#touch()
    return this
  }

  /** No-op: there is no Nagle algorithm between node and the gateway. */
  setNoDelay(_noDelay?: boolean): this {
    return this
  }

  /** No-op: keep-alive probes are the gateway server's business. */
  setKeepAlive(_enable?: boolean, _delay?: number): this {
    return this
  }

  ref(): this {
    return this
  }

  unref(): this {
    return this
  }

  /** The local address, as `net.Socket#address()`: the server's name and port from the environ. */
  address(): AddressInfo | Record<string, never> {
    if (this.localAddress === undefined) return {}
    return {
      address: this.localAddress,
      family: family(this.localAddress) ?? 'IPv4',
      port: this.localPort ?? 0,
    }
  }

  destroySoon(): void {
    this.destroy()
  }

  get readyState(): string {
    return this.destroyed ? 'closed' : 'open'
  }

  #onData = (chunk: Buffer): void => {
    const request = this.#request
    // Released with its request complete, or ended by the server taking the input back: nobody
    // is left to read what came after.
    if (!request || request.complete) return
    this.#received += chunk.byteLength
    this.bytesRead += chunk.byteLength
    if (!request.push(chunk)) this.pause()
    this.#settle()
  }

  /** Ends the request once tsgi.input is exhausted and every buffered byte reached it. */
  #settle(): void {
    const request = this.#request
    if (!request || !this.#inputEnded || this.readableLength > 0 || request.complete) return
    if (this.#expected >= 0 && this.#received < this.#expected) {
      // The body ended short of its Content-Length: node:http sees the connection drop.
      this.destroy(connectionReset())
      return
    }
    request.complete = true
    request.push(null)
    if (this.#released) this.#request = undefined
  }

  #touch(): void {
    if (!this.timeout || this.destroyed) return
    clearTimeout(this.#timer)
    this.#timer = setTimeout(() => this.emit('timeout'), this.timeout)
    this.#timer.unref()
  }
}

function emitClose(socket: BridgeSocket, hadError: boolean): void {
  socket.emit('close', hadError)
}

function family(address: string | undefined): string | undefined {
  if (address === undefined || address === '') return undefined
  return address.includes(':') ? 'IPv6' : 'IPv4'
}
