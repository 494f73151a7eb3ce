import type { Socket } from 'node:net'
import { latin1 } from './http/syntax.ts'
import type { ResponseSink } from './response.ts'

const RESOLVED: Promise<void> = Promise.resolve()
// Below this size head, chunk and tail go out as one latin-1 string: node writes a string
// this small from its stack (no buffer to allocate, one call into C++, one syscall).
const STRING_BYTES = 16 * 1024
// Below this size head, chunk and tail are copied into one buffer: one write, one syscall.
const COALESCE_BYTES = 64 * 1024

function releaseTurn(sink: SocketSink): void {
  sink.release()
}

/** A `ResponseSink` on a socket: coalesces small writes, corks large ones, tracks drain. */
export class SocketSink implements ResponseSink {
  #socket: Socket
  #waiters: (() => void)[] = []
  #goneListeners = new Set<() => void>()
  /** Set by the connection once it stops sending (its FIN is out, or the socket closed). */
  closed = false
  /** How many times the socket drained: the client took bytes (see the send timeout). */
  drains = 0
  /** The socket is corked until the end of this turn ({@link holdTurn}). */
  #held = false

  constructor(socket: Socket) {
    this.#socket = socket
    socket.on('drain', this.#onDrain)
  }

  #onDrain = (): void => {
    this.drains++
    this.wake()
  }

  /** The socket closed: it stops holding this sink (see `Connection`'s close). */
  detach(): void {
    this.#socket.removeListener('drain', this.#onDrain)
  }

  send(head: string | null, body: Uint8Array | null, tail: string | null): boolean {
    if (this.closed) return true
    const socket = this.#socket
    if (body === null) {
      const text = head === null ? tail! : tail === null ? head : head + tail
      return socket.write(text, 'latin1')
    }
    const headLength = head === null ? 0 : head.length
    const tailLength = tail === null ? 0 : tail.length
    const total = headLength + body.length + tailLength
    if (headLength === 0 && tailLength === 0) return socket.write(body)
    if (total <= STRING_BYTES) {
      const text = latin1(body, 0, body.length)
      return socket.write(
        head === null ? text + tail : tail === null ? head + text : head + text + tail,
        'latin1',
      )
    }
    if (total <= COALESCE_BYTES) {
      const out = Buffer.allocUnsafe(total)
      if (head !== null) out.write(head, 0, 'latin1')
      out.set(body, headLength)
      if (tail !== null) out.write(tail, headLength + body.length, 'latin1')
      return socket.write(out)
    }
    socket.cork()
    if (head !== null) socket.write(head, 'latin1')
    let ok = socket.write(body)
    if (tail !== null) ok = socket.write(tail, 'latin1')
    socket.uncork()
    return ok
  }

  holdTurn(): void {
    if (this.#held || this.closed) return
    this.#held = true
    this.#socket.cork()
    // Released once this turn's promise jobs are done, since the next chunks come from those (a
    // generator's steps, the continuations of awaited writes). A tick scheduled from the socket's
    // own callback would run before them; scheduled from a promise job, it runs after them all.
    queueMicrotask(this.#releaseAfterJobs)
  }

  /** One function per connection, not a closure per turn. */
  #releaseAfterJobs = (): void => {
    process.nextTick(releaseTurn, this)
  }

  /** Sends what {@link holdTurn} held now: before a cut, so what the app sent still goes out. */
  release(): void {
    if (!this.#held) return
    this.#held = false
    this.#socket.uncork()
  }

  onGone(listener: () => void): () => void {
    if (this.closed) {
      listener()
      return () => {}
    }
    this.#goneListeners.add(listener)
    return () => this.#goneListeners.delete(listener)
  }

  drained(): Promise<void> {
    if (this.closed || !this.#socket.writableNeedDrain) return RESOLVED
    return new Promise((resolve) => this.#waiters.push(resolve))
  }

  /** Releases every writer waiting for drain (on 'drain', and on close so none hang), and on close those waiting for it. */
  wake(): void {
    if (this.closed && this.#goneListeners.size > 0) {
      const listeners = [...this.#goneListeners]
      this.#goneListeners.clear()
      for (const listener of listeners) listener()
    }
    const waiters = this.#waiters
    if (waiters.length === 0) return
    this.#waiters = []
    for (const resolve of waiters) resolve()
  }
}
