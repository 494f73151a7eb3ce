import { connect, type Socket } from 'node:net'
import type { App } from '@tsgi/core'
import { serve } from '../../src/server.ts'
import type { ServeOptions, TsgiServer } from '../../src/server-options.ts'

/** A raw TCP client that records every byte the server sends, as latin-1 text. */
export class RawClient {
  readonly socket: Socket
  #received = ''
  #ended: Promise<string>
  #listeners: (() => void)[] = []
  closed = false

  private constructor(socket: Socket) {
    this.socket = socket
    socket.setEncoding('latin1')
    socket.on('data', (text: string) => {
      this.#received += text
      for (const listener of this.#listeners) listener()
    })
    socket.on('error', () => {})
    this.#ended = new Promise((resolve) =>
      socket.on('close', () => {
        this.closed = true
        for (const listener of this.#listeners) listener()
        resolve(this.#received)
      }),
    )
  }

  static connect(port: number): Promise<RawClient> {
    return new Promise((resolve, reject) => {
      const socket = connect({ host: '127.0.0.1', port }, () => resolve(new RawClient(socket)))
      socket.once('error', reject)
    })
  }

  /** Everything received so far. */
  get text(): string {
    return this.#received
  }

  write(data: string | Buffer): void {
    this.socket.write(typeof data === 'string' ? Buffer.from(data, 'latin1') : data)
  }

  /** Resolves with everything received once the server closes the connection. */
  whenClosed(): Promise<string> {
    return this.#ended
  }

  /** Resolves once the received text satisfies `predicate` (or rejects at `timeoutMs`). */
  waitFor(predicate: (text: string) => boolean, timeoutMs = 2000): Promise<string> {
    return new Promise((resolve, reject) => {
      const check = (): void => {
        if (predicate(this.#received)) {
          clearTimeout(timer)
          this.#listeners = this.#listeners.filter((l) => l !== check)
          resolve(this.#received)
        } else if (this.closed) {
          clearTimeout(timer)
          reject(new Error(`closed before expected bytes; got ${JSON.stringify(this.#received)}`))
        }
      }
      const timer = setTimeout(() => {
        this.#listeners = this.#listeners.filter((l) => l !== check)
        reject(new Error(`timed out; got ${JSON.stringify(this.#received)}`))
      }, timeoutMs)
      this.#listeners.push(check)
      check()
    })
  }

  /** Waits for `n` complete responses (by counting status lines and a terminating blank line). */
  responses(n: number, timeoutMs?: number): Promise<string> {
    return this.waitFor((t) => splitResponses(t).length >= n, timeoutMs)
  }

  destroy(): void {
    this.socket.destroy()
  }
}

/** Starts `app` on 127.0.0.1:0; returns the server and its port. */
export async function start(
  app: App,
  options: ServeOptions = {},
): Promise<{ server: TsgiServer; port: number }> {
  const server = await serve(app, { bind: ['127.0.0.1:0'], errorLog: () => {}, ...options })
  return { server, port: Number(server.address.slice(server.address.lastIndexOf(':') + 1)) }
}

/** Sends `bytes`, optionally half-closes, and returns all bytes received until the server closes. */
export async function roundTrip(port: number, bytes: string, halfClose = false): Promise<string> {
  const client = await RawClient.connect(port)
  client.write(bytes)
  if (halfClose) client.socket.end()
  return client.whenClosed()
}

/** Replaces the Date value, the one part of a response that changes between runs. */
export function normalize(text: string): string {
  return text.replace(/\r\nDate: [^\r]*\r\n/g, '\r\nDate: X\r\n')
}

/**
 * Splits a byte stream into complete responses (heads plus Content-Length or chunked bodies).
 * Only for tests: responses here are small and well-formed.
 */
export function splitResponses(text: string): string[] {
  const out: string[] = []
  let pos = 0
  while (pos < text.length) {
    const end = text.indexOf('\r\n\r\n', pos)
    if (end === -1) break
    const head = text.slice(pos, end)
    let next = end + 4
    const status = Number(head.slice(9, 12))
    const length = /\r\ncontent-length: *(\d+)/i.exec(head)
    if (status < 200 || status === 204 || status === 304) {
      // no body
    } else if (/\r\ntransfer-encoding: *chunked/i.test(head)) {
      const last = text.indexOf('\r\n0\r\n\r\n', end)
      if (last === -1) break
      next = last + 7
    } else if (length !== null) {
      next += Number(length[1])
      if (next > text.length) break
    }
    out.push(text.slice(pos, next))
    pos = next
  }
  return out
}
