import http from 'node:http'
import type { App } from '@tsgi/core'
import express from 'express'
import express4 from 'express4'
import { Hono } from 'hono'
import Koa from 'koa'
import Koa2 from 'koa2'
import { describe, expect, it } from 'vitest'
import { adapt } from '../src/adapt.ts'
import { detectKind, TSGI_APP } from '../src/detect-kind.ts'
import { NotAnAppError } from '../src/not-an-app-error.ts'
import { call } from './fetch/helpers.ts'

const encode = (value: string): Uint8Array => new TextEncoder().encode(value)

function expressApp(factory: typeof express): ReturnType<typeof express> {
  const app = factory()
  app.get('/', (_req, res) => {
    res.type('text/plain').send('express')
  })
  return app
}

function koaApp(K: typeof Koa): Koa {
  const app = new K()
  app.use((ctx) => {
    ctx.body = 'koa'
  })
  return app
}

const gatewayApp: App = (_environ, startResponse) => {
  startResponse('200 OK', [['content-type', 'text/plain']])
  return [encode('tsgi')]
}

const nodeServer = http.createServer((_req, res) => {
  res.setHeader('content-type', 'text/plain')
  res.end('node server')
})

const connectStyle = (_req: http.IncomingMessage, res: http.ServerResponse, _next: () => void): void => {
  res.setHeader('content-type', 'text/plain')
  res.end('connect')
}

/** Each supported shape, what it must be detected as and what it answers on GET /. */
const cases: Array<[label: string, app: unknown, kind: string, body: string]> = [
  ['express 5', expressApp(express), 'express', 'express'],
  ['express 4 (another copy)', expressApp(express4 as unknown as typeof express), 'express', 'express'],
  ['koa 3', koaApp(Koa), 'koa', 'koa'],
  ['koa 2 (another copy)', koaApp(Koa2 as unknown as typeof Koa), 'koa', 'koa'],
  ['hono', new Hono().get('/', (c) => c.text('hono')), 'hono', 'hono'],
  ['{ fetch } object', { fetch: () => new Response('fetch object') }, 'fetch', 'fetch object'],
  ['fetch function', (_request: Request) => new Response('fetch function'), 'fetch', 'fetch function'],
  ['node:http server', nodeServer, 'node', 'node server'],
  ['(req, res, next) handler', connectStyle, 'node', 'connect'],
  ['gateway app', gatewayApp, 'tsgi', 'tsgi'],
  [
    'branded gateway app',
    Object.assign((...args: Parameters<App>) => gatewayApp(...args), { [TSGI_APP]: true }),
    'tsgi',
    'tsgi',
  ],
]

describe('adapt', () => {
  it.each(cases)('recognises %s by shape and runs it', async (_label, app, kind, body) => {
    expect(detectKind(app)).toBe(kind)
    const response = await call(adapt(app))
    expect(response.status).toBe(200)
    expect(response.text()).toBe(body)
  })

  it("answers a (req, res, next) handler's next() with 404 and next(error) with 500", async () => {
    const passes = (
      _req: http.IncomingMessage,
      _res: http.ServerResponse,
      next: (error?: unknown) => void,
    ): void => next()
    const fails = (
      _req: http.IncomingMessage,
      _res: http.ServerResponse,
      next: (error?: unknown) => void,
    ): void => next(new Error('nope'))
    expect((await call(adapt(passes))).status).toBe(404)
    expect((await call(adapt(fails))).status).toBe(500)
  })

  it('returns a gateway app unchanged', () => {
    expect(adapt(gatewayApp)).toBe(gatewayApp)
  })

  it.each([
    [undefined, 'undefined'],
    [null, 'null'],
    [42, 'a number (42)'],
    ['app.ts', 'a string (app.ts)'],
    [{ port: 3000, routes: [] }, 'an object with keys port, routes'],
    [Promise.resolve(gatewayApp), 'a Promise (missing await?)'],
    [Koa, 'the class Application (missing new?)'],
    [http.createServer(), 'an object with keys'],
  ])('refuses %s with TSGI_NOT_AN_APP naming what was given', (value, given) => {
    let thrown: unknown
    try {
      adapt(value)
    } catch (error) {
      thrown = error
    }
    expect(thrown).toBeInstanceOf(NotAnAppError)
    const error = thrown as NotAnAppError
    expect(error.code).toBe('TSGI_NOT_AN_APP')
    expect(error.message).toContain(`got ${given}`)
    expect(error.message).not.toContain('\n')
  })
})
