interface Entry {
  chunk: Uint8Array
  taken: boolean
  ack: (() => void) | undefined
}

interface Waiter {
  resolve(result: IteratorResult<Uint8Array>): void
  reject(error: unknown): void
}

const DONE: IteratorResult<Uint8Array> = { done: true, value: undefined }

/**
 * Whom a {@link ResponseBody} tells when the server closes it: `early` when that happened
 * before the response was complete (the server stopped reading: a disconnect).
 */
export interface BodyOwner {
  bodyClosed(early: boolean): void
}

/**
 * The gateway body of a bridged Node response: the chunks node wrote, handed to the server one
 * by one as it asks. Each socket write is acknowledged (its callback runs) only when the server
 * comes back for more after taking the write's last chunk, that is after it sent that chunk on:
 * that is what makes `res.write()` return `false` and `'drain'` wait for the real client, as on a
 * real socket. Nothing is buffered beyond the one socket write in flight.
 */
export class ResponseBody implements AsyncIterableIterator<Uint8Array> {
  #queue: Entry[] = []
  #last: Entry | undefined
  #ack: (() => void) | undefined
  #waiter: Waiter | undefined
  #ended = false
  #error: unknown
  #failed = false
  /** The server took a chunk: the response head is out. */
  #started = false
  /** {@link takeAll} handed the body over, or the server closed it: nothing is left to take. */
  #takenAll = false
  #owner: BodyOwner

  constructor(owner: BodyOwner) {
    this.#owner = owner
  }

  /** Queues one chunk of the current socket write. */
  push(chunk: Uint8Array): void {
    if (chunk.byteLength === 0 || this.#ended || this.#failed) return
    const entry: Entry = { chunk, taken: false, ack: undefined }
    this.#last = entry
    const waiter = this.#waiter
    if (waiter) {
      this.#waiter = undefined
      entry.taken = true
      this.#started = true
      waiter.resolve({ done: false, value: chunk })
    } else {
      this.#queue.push(entry)
    }
  }

  /** Ends the current socket write: `ack` runs once the server took all of it and came back. */
  release(ack: () => void): void {
    const last = this.#last
    this.#last = undefined
    if (!last || this.#failed) {
      ack()
      return
    }
    if (last.taken) this.#ack = chain(this.#ack, ack)
    else last.ack = ack
  }

  /**
   * The whole body as an array, once node has written all of it and every write was handed
   * over (none is still open, as one is while an early hint is pending): the server sends an
   * array at once, without iterating. The writes are acknowledged when the array's `close()`
   * runs, which the server calls after taking the chunks, as `next()` would have. Null while
   * a write is open or the body failed.
   */
  takeAll(): (Uint8Array[] & { close(): void }) | null {
    // Ended by node ('finish') is fine; taken by the server (all at once, or chunk by chunk) is not.
    if (this.#failed || this.#takenAll || this.#started || this.#waiter || this.#last !== undefined)
      return null
    this.#takenAll = true
    const acks: Array<() => void> = []
    const chunks: Uint8Array[] = []
    for (const entry of this.#queue) {
      chunks.push(entry.chunk)
      if (entry.ack) acks.push(entry.ack)
    }
    if (this.#ack) acks.unshift(this.#ack)
    this.#ack = undefined
    this.#queue.length = 0
    this.#ended = true
    const owner = this.#owner
    return Object.assign(chunks, {
      close(): void {
        for (const ack of acks) ack()
        owner.bodyClosed(false)
      },
    })
  }

  /** The server took a chunk of the body, so the response head is out. */
  get started(): boolean {
    return this.#started
  }

  /** The bytes queued for the server and not taken yet. */
  queuedBytes(): number {
    let bytes = 0
    for (const entry of this.#queue) bytes += entry.chunk.byteLength
    return bytes
  }

  /** The response is complete: the server gets `done` after the queued chunks. */
  end(): void {
    if (this.#ended || this.#failed) return
    this.#ended = true
    if (this.#waiter && this.#queue.length === 0) this.#settle().resolve(DONE)
  }

  /**
   * The connection broke: once the chunks node wrote before it are taken (a real socket had
   * handed them to the kernel: `res.end(body)` then `socket.destroy()` still delivers the
   * response), the server's next read fails, so it ends its own connection.
   */
  fail(error: unknown): void {
    if (this.#ended || this.#failed) return
    this.#failed = true
    this.#error = error
    this.#waiter && this.#settle().reject(error)
  }

  next(): Promise<IteratorResult<Uint8Array>> {
    const ack = this.#ack
    if (ack) {
      this.#ack = undefined
      ack()
    }
    const entry = this.#queue.shift()
    if (entry) {
      entry.taken = true
      this.#started = true
      if (entry.ack) this.#ack = entry.ack
      return Promise.resolve({ done: false, value: entry.chunk })
    }
    if (this.#failed) return Promise.reject(this.#error)
    if (this.#ended) return Promise.resolve(DONE)
    return new Promise((resolve, reject) => {
      this.#waiter = { resolve, reject }
    })
  }

  /** The server stopped early (client gone, or it gave up): the Node side sees a disconnect. */
  return(): Promise<IteratorResult<Uint8Array>> {
    this.close()
    return Promise.resolve(DONE)
  }

  close(): void {
    const early = !this.#ended && !this.#failed
    this.#ended = true
    this.#takenAll = true
    this.#owner.bodyClosed(early)
    this.#queue.length = 0
  }

  [Symbol.asyncIterator](): this {
    return this
  }

  #settle(): Waiter {
    const waiter = this.#waiter!
    this.#waiter = undefined
    return waiter
  }
}

function chain(first: (() => void) | undefined, second: () => void): () => void {
  return first
    ? () => {
        first()
        second()
      }
    : second
}
