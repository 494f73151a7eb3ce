import { request as httpRequest } from 'node:http'
import { type App, type HeaderList, inject } from '@tsgi/core'

/** A request as the kit's tests write it. */
export interface KitRequest {
  method?: string
  headers?: Record<string, string>
  body?: string | Uint8Array
}

/** A response as the kit's tests read it, the same in memory and over TCP. */
export interface KitResponse {
  status: number
  headers: HeaderList
  body: Uint8Array
  /** The body as UTF-8 text. */
  text: string
  /** The first value of a header (case-insensitive), if any. */
  header(name: string): string | undefined
  /** Every value of a header, in order (e.g. each `Set-Cookie`). */
  headerAll(name: string): string[]
}

/** Something the kit can send requests to: an app in memory or a server over TCP. */
export type Target = (path: string, request?: KitRequest) => Promise<KitResponse>

function kitResponse(status: number, headers: HeaderList, body: Uint8Array): KitResponse {
  const headerAll = (name: string): string[] =>
    headers.filter(([key]) => key.toLowerCase() === name.toLowerCase()).map(([, value]) => value)
  return {
    status,
    headers,
    body,
    text: new TextDecoder().decode(body),
    header: (name) => headerAll(name)[0],
    headerAll,
  }
}

/** Sends requests to a gateway app in memory with `inject`. */
export function injectTarget(app: App): Target {
  return async (path, request = {}) => {
    const response = await inject(app, {
      method: request.method ?? 'GET',
      url: path,
      headers: { host: 'guestbook.test', ...request.headers },
      ...(request.body === undefined ? {} : { body: request.body }),
    })
    return kitResponse(response.status, response.headers, response.body)
  }
}

/** Sends requests over a real TCP connection with node:http (one connection per request). */
export function tcpTarget(baseUrl: string): Target {
  return (path, request = {}) =>
    new Promise((resolve, reject) => {
      const body = typeof request.body === 'string' ? Buffer.from(request.body) : request.body
      const req = httpRequest(new URL(path, baseUrl), {
        method: request.method ?? 'GET',
        headers: { ...(body ? { 'content-length': String(body.byteLength) } : {}), ...request.headers },
        agent: false,
      })
      req.on('error', reject)
      req.on('response', (res) => {
        const chunks: Buffer[] = []
        res.on('data', (chunk: Buffer) => chunks.push(chunk))
        res.on('error', reject)
        res.on('end', () => {
          const headers: HeaderList = []
          for (let i = 0; i < res.rawHeaders.length; i += 2)
            headers.push([res.rawHeaders[i]!, res.rawHeaders[i + 1]!])
          resolve(kitResponse(res.statusCode ?? 0, headers, Buffer.concat(chunks)))
        })
      })
      req.end(body)
    })
}
