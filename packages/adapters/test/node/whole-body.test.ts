import { once } from 'node:events'
import type { ServerResponse } from 'node:http'
import { type Body, createEnviron, type HeaderList } from '@tsgi/core'
import express from 'express'
import Koa from 'koa'
import { describe, expect, it } from 'vitest'
import { fromExpress, fromKoa } from '../../src/index.ts'

// A response node has written whole and sized by the time the gateway body is handed over
// goes to the server as an array (sent at once, no iteration); anything else streams.

function call(app: (e: never, s: never) => Body | Promise<Body>, method = 'GET') {
  let status = ''
  let headers: HeaderList = []
  const environ = createEnviron({ REQUEST_METHOD: method })
  const result = app(
    environ as never,
    ((s: string, h: HeaderList) => {
      status = s
      headers = h
      return async () => {}
    }) as never,
  )
  return { result, status: () => status, headers: () => headers }
}

const text = (chunks: Uint8Array[]) => Buffer.concat(chunks).toString()

describe('whole bodies', () => {
  it('hands a response Express ended in the handler over as an array, finished as on node:http', async () => {
    let res: ServerResponse | undefined
    const events: string[] = []
    const app = express()
    app.get('/', (_req, r) => {
      res = r
      r.on('finish', () => events.push('finish'))
      r.on('close', () => events.push('close'))
      r.send('hello')
    })
    const { result, headers } = call(fromExpress(app) as never)
    expect(Array.isArray(result)).toBe(true)
    const body = result as Uint8Array[] & { close(): void }
    expect(text(body)).toBe('hello')
    expect(headers()).toContainEqual(['Content-Length', '5'])
    // The write completed the sized body: node hears it acknowledged at once, as from a socket
    // whose kernel took the bytes, so 'finish' and 'close' come as on node:http, before the
    // server has sent anything; the server still gets every byte.
    await once(res!, 'close')
    expect(events).toEqual(['finish', 'close'])
    body.close()
    expect(text(body)).toBe('hello')
  })

  it('resolves a Koa response, sent after its middleware, to an array', async () => {
    const app = new Koa()
    app.use(async (ctx) => {
      await Promise.resolve()
      ctx.body = 'from koa'
    })
    const { result, status } = call(fromKoa(app) as never)
    expect(result).toBeInstanceOf(Promise)
    const body = await result
    expect(Array.isArray(body)).toBe(true)
    expect(text(body as Uint8Array[])).toBe('from koa')
    expect(status()).toBe('200 OK')
    body.close?.()
  })

  it('keeps HEAD bodiless and sized', async () => {
    const app = express()
    app.get('/', (_req, res) => res.send('twelve bytes'))
    const { result, headers } = call(fromExpress(app) as never, 'HEAD')
    expect(Array.isArray(result) && result.length).toBe(0)
    expect(headers()).toContainEqual(['Content-Length', '12'])
    ;(result as Body).close?.()
  })

  it('streams a status the gateway refuses, so the refusal reaches node as a cut, not finish', async () => {
    const events: string[] = []
    const app = express()
    app.get('/', (_req, res) => {
      res.on('finish', () => events.push('finish'))
      res.on('close', () => events.push('close'))
      // node accepts 100-999; a gateway final status is 200-599.
      res.statusCode = 650
      res.end('x')
    })
    const { result } = call(fromExpress(app) as never)
    const body = await result
    expect(Array.isArray(body)).toBe(false)
    // What a server does when it cannot send the head: it stops reading the body.
    await (body as unknown as AsyncIterator<Uint8Array>).return?.()
    await new Promise((r) => setImmediate(r))
    expect(events).toEqual(['close'])
  })

  it('streams a response node framed as chunked, so the wire framing stays node’s', async () => {
    const app = express()
    app.get('/', (_req, res) => {
      res.write('a')
      res.end('b')
    })
    const { result } = call(fromExpress(app) as never)
    const body = await result
    expect(Array.isArray(body)).toBe(false)
    const chunks: Uint8Array[] = []
    for await (const chunk of body as AsyncIterable<Uint8Array>) chunks.push(chunk)
    expect(text(chunks)).toBe('ab')
  })
})
