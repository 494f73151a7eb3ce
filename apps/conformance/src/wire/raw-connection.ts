import { connect, type Socket } from 'node:net'
import { normalize } from '../normalize.ts'
import type { NormalizedResponse, ResponseHead, WireConnection } from '../types.ts'
import { framingOf } from './framing.ts'
import { parseHead } from './parse-head.ts'

const HEAD_END = Buffer.from('\r\n\r\n')
const LINE_END = Buffer.from('\r\n')

/**
 * A client connection that reads HTTP/1.1 responses straight off a socket, so scenarios see
 * what really went over the wire: interim 1xx responses, framing, pipelined order, closes.
 */
export class RawConnection implements WireConnection {
  #socket: Socket
  #buffer: Buffer = Buffer.alloc(0)
  #ended = false
  #wake: (() => void) | undefined
  #timeoutMs: number

  /** Connects to `127.0.0.1:port`; every later read gives up after `timeoutMs`. */
  static open(port: number, timeoutMs: number): Promise<RawConnection> {
    return new Promise((resolve, reject) => {
      const socket = connect({ host: '127.0.0.1', port }, () => resolve(new RawConnection(socket, timeoutMs)))
      socket.once('error', reject)
    })
  }

  private constructor(socket: Socket, timeoutMs: number) {
    this.#socket = socket
    this.#timeoutMs = timeoutMs
    socket.on('data', (data: Buffer) => {
      this.#buffer = this.#buffer.byteLength === 0 ? data : Buffer.concat([this.#buffer, data])
      this.#notify()
    })
    const end = (): void => {
      this.#ended = true
      this.#notify()
    }
    socket.on('end', end)
    socket.on('close', end)
    // A reset is an end as far as a reader is concerned; reads then fail with "closed".
    socket.on('error', end)
  }

  get localPort(): number {
    return this.#socket.localPort ?? 0
  }

  get remotePort(): number {
    return this.#socket.remotePort ?? 0
  }

  write(bytes: string | Uint8Array): Promise<void> {
    return new Promise((resolve, reject) => {
      this.#socket.write(bytes, (error) => (error ? reject(error) : resolve()))
    })
  }

  async readHead(): Promise<ResponseHead> {
    const end = await this.#find(HEAD_END, 'a response head')
    return parseHead(this.#take(end + HEAD_END.byteLength).toString('latin1'))
  }

  async *bodyParts(head: ResponseHead, method = 'GET'): AsyncGenerator<Uint8Array> {
    const framing = framingOf(head, method)
    if (framing === 'length') {
      let left = Number(head.headers.find(([name]) => name.toLowerCase() === 'content-length')?.[1])
      while (left > 0) {
        await this.#need(1, 'body bytes')
        const part = this.#take(Math.min(left, this.#buffer.byteLength))
        left -= part.byteLength
        yield part
      }
    } else if (framing === 'chunked') {
      yield* this.#chunks()
    } else if (framing === 'close') {
      while (!this.#ended || this.#buffer.byteLength > 0) {
        if (this.#buffer.byteLength > 0) yield this.#take(this.#buffer.byteLength)
        else await this.#more('the close-delimited body')
      }
    }
  }

  async readResponse(method = 'GET', first?: ResponseHead): Promise<NormalizedResponse> {
    const interim: number[] = []
    let head = first ?? (await this.readHead())
    // RFC 9110 §15.2: any number of 1xx responses may precede the final one (101 ends HTTP/1.1).
    while (head.status >= 100 && head.status < 200 && head.status !== 101) {
      interim.push(head.status)
      head = await this.readHead()
    }
    const parts: Uint8Array[] = []
    for await (const part of this.bodyParts(head, method)) parts.push(part)
    return normalize({
      status: head.status,
      reason: head.reason,
      headers: head.headers,
      body: Buffer.concat(parts),
      framing: framingOf(head, method),
      interim,
    })
  }

  setReadTimeout(ms: number): void {
    this.#timeoutMs = ms
  }

  async closedWithin(ms: number): Promise<boolean> {
    const deadline = Date.now() + ms
    while (!this.#ended) {
      const left = deadline - Date.now()
      if (left <= 0) return false
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left)
        this.#wake = () => {
          clearTimeout(timer)
          resolve()
        }
      })
    }
    return true
  }

  destroy(): void {
    this.#socket.destroy()
  }

  reset(): void {
    this.#socket.resetAndDestroy()
  }

  // RFC 9112 §7.1: chunk-size [ext] CRLF data CRLF ... 0 CRLF trailers CRLF.
  async *#chunks(): AsyncGenerator<Uint8Array> {
    for (;;) {
      const lineEnd = await this.#find(LINE_END, 'a chunk size')
      const size = Number.parseInt(this.#take(lineEnd + 2).toString('latin1'), 16)
      if (Number.isNaN(size)) throw new Error('malformed chunk size from the server')
      if (size === 0) break
      await this.#need(size + 2, 'chunk data')
      yield this.#take(size)
      this.#take(2)
    }
    for (;;) {
      const lineEnd = await this.#find(LINE_END, 'the chunked trailer')
      if (this.#take(lineEnd + 2).byteLength === 2) return
    }
  }

  async #find(needle: Buffer, what: string): Promise<number> {
    for (;;) {
      const at = this.#buffer.indexOf(needle)
      if (at !== -1) return at
      await this.#more(what)
    }
  }

  async #need(bytes: number, what: string): Promise<void> {
    while (this.#buffer.byteLength < bytes) await this.#more(what)
  }

  #take(bytes: number): Buffer {
    const taken = this.#buffer.subarray(0, bytes)
    this.#buffer = this.#buffer.subarray(bytes)
    return taken
  }

  #more(what: string): Promise<void> {
    if (this.#ended) return Promise.reject(new Error(`connection closed while waiting for ${what}`))
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#wake = undefined
        reject(new Error(`timed out after ${this.#timeoutMs} ms waiting for ${what}`))
      }, this.#timeoutMs)
      this.#wake = () => {
        clearTimeout(timer)
        resolve()
      }
    })
  }

  #notify(): void {
    const wake = this.#wake
    this.#wake = undefined
    wake?.()
  }
}
