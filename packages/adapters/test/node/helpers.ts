import { once } from 'node:events'
import { createServer, type IncomingMessage, request, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { App, Environ, HeaderList } from '@tsgi/core'
import { createEnviron, type EnvironInit, inject, validate } from '@tsgi/core'
import express from 'express'
import express4 from 'express4'
import Koa from 'koa'
import Koa2 from 'koa2'

export { inject, validate }

/** Both majors of each framework, for `describe.each`: the same fidelity table runs on each. */
export const EXPRESS_VERSIONS = [
  ['express 4', express4],
  ['express 5', express],
] as const
export const KOA_VERSIONS = [
  ['koa 2', Koa2],
  ['koa 3', Koa],
] as const

/** `inject` through `validate()`: every adapter test checks both sides of the interface. */
export function call(app: App, req: Parameters<typeof inject>[1] = {}): ReturnType<typeof inject> {
  return inject(validate(app), req)
}

/** A response driven by hand (through `validate`), to watch the body chunk by chunk. */
export interface Opened {
  status: string
  headers: HeaderList
  writes: Uint8Array[]
  iterator: AsyncIterator<Uint8Array>
  close(): Promise<void>
  environ: Environ
  abort: AbortController
}

/** Calls `validate(app)` with a test environ and returns the unread body. */
export async function open(app: App, init: EnvironInit = {}): Promise<Opened> {
  const abort = new AbortController()
  const environ = createEnviron({ 'tsgi.signal': abort.signal, REMOTE_ADDR: '127.0.0.1', ...init })
  let status = ''
  let headers: HeaderList = []
  const writes: Uint8Array[] = []
  const body = await validate(app)(environ, (s, h) => {
    status = s
    headers = h
    return async (chunk) => {
      writes.push(chunk)
    }
  })
  const iterator = (body as AsyncIterable<Uint8Array>)[Symbol.asyncIterator]()
  const close = async (): Promise<void> => {
    await body.close?.()
  }
  return { status, headers, writes, iterator, close, environ, abort }
}

/** Header values by (case-insensitive) name, in order. */
export function headerValues(headers: HeaderList, name: string): string[] {
  return headers.filter(([n]) => n.toLowerCase() === name).map(([, v]) => v)
}

/** A promise and its resolver, to hold a producer until the test says go. */
export function deferred<T = void>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void
  const promise = new Promise<T>((r) => {
    resolve = r
  })
  return { promise, resolve }
}

export const text = (bytes: Uint8Array | undefined): string => Buffer.from(bytes ?? []).toString('utf8')

/** What a real client got from a real server: status, header lines (raw, in order) and body. */
export interface WireResponse {
  status: number
  statusText: string
  headers: HeaderList
  body: Buffer
}

/**
 * Runs `handler` on a real node:http server on 127.0.0.1 for one request and returns what the
 * client received: the reference a bridged app is compared against.
 */
export async function native(
  handler: (req: IncomingMessage, res: ServerResponse) => void,
  req: { method?: string; url?: string; headers?: Record<string, string>; body?: string | Buffer },
): Promise<WireResponse> {
  const server = createServer(handler)
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  try {
    const { port } = server.address() as AddressInfo
    return await new Promise<WireResponse>((resolve, reject) => {
      const outgoing = request(
        { host: '127.0.0.1', port, method: req.method ?? 'GET', path: req.url ?? '/', headers: req.headers },
        (incoming) => {
          const chunks: Buffer[] = []
          incoming.on('data', (chunk: Buffer) => chunks.push(chunk))
          incoming.on('end', () => {
            const headers: HeaderList = []
            for (let i = 0; i < incoming.rawHeaders.length; i += 2) {
              headers.push([incoming.rawHeaders[i]!, incoming.rawHeaders[i + 1]!])
            }
            resolve({
              status: incoming.statusCode!,
              statusText: incoming.statusMessage!,
              headers,
              body: Buffer.concat(chunks),
            })
          })
        },
      )
      outgoing.on('error', reject)
      outgoing.end(req.body)
    })
  } finally {
    server.closeAllConnections()
    server.close()
  }
}
