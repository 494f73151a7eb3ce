import type { App, HeaderList } from '@tsgi/core'
import { describe, expect, it } from 'vitest'
import { fromFetch } from '../src/fetch-handler.ts'
import { toFetchHandler } from '../src/to-fetch-handler.ts'
import { call, validate } from './fetch/helpers.ts'

const encode = (value: string): Uint8Array => new TextEncoder().encode(value)

/** A gateway app with a little of everything: routing on PATH_INFO, bodies, cookies, streaming, errors. */
const gatewayApp: App = async (environ, startResponse) => {
  const path = environ.PATH_INFO
  if (path === '/echo') {
    const body = await environ['tsgi.input'].read()
    startResponse('200 OK', [
      ['content-type', environ.CONTENT_TYPE ?? 'application/octet-stream'],
      ['x-method', environ.REQUEST_METHOD],
      ['x-query', environ.QUERY_STRING],
      ['x-path', path],
    ])
    return [body]
  }
  if (path === '/cookies') {
    startResponse('204 No Content', [
      ['set-cookie', 'a=1; Path=/'],
      ['set-cookie', 'b=2; Expires=Wed, 21 Oct 2026 07:28:00 GMT'],
    ])
    return []
  }
  if (path === '/stream') {
    startResponse('200 OK', [['content-type', 'text/event-stream']])
    return (async function* () {
      for (let i = 0; i < 3; i++) yield encode(`data: ${i}\n\n`)
    })()
  }
  if (path === '/binary') {
    startResponse('200 OK', [
      ['content-type', 'application/octet-stream'],
      ['content-length', '512'],
    ])
    // RFC 9110 §9.3.2: HEAD gets the GET headers and no content.
    if (environ.REQUEST_METHOD === 'HEAD') return []
    return [new Uint8Array(512).map((_, i) => (i * 7) % 256)]
  }
  startResponse('404 Not Found', [['content-type', 'text/plain']])
  return [encode(`no ${path}`)]
}

const sorted = (headers: HeaderList): HeaderList =>
  headers
    .map(([n, v]): [string, string] => [n.toLowerCase(), v])
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))

const requests = [
  { method: 'GET', url: '/echo?x=1&y=%C3%A9', headers: { 'content-type': 'text/plain' } },
  {
    method: 'POST',
    url: '/echo',
    body: 'name=caf%C3%A9&x=1',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  },
  { method: 'PUT', url: '/echo', body: new Uint8Array([0, 255, 13, 10, 128]) },
  { method: 'GET', url: '/cookies' },
  { method: 'GET', url: '/stream' },
  { method: 'GET', url: '/binary' },
  { method: 'HEAD', url: '/binary' },
  { method: 'DELETE', url: '/missing' },
]

describe('round trips', () => {
  it('fromFetch(toFetchHandler(app)) answers like app', async () => {
    const wrapped = fromFetch(toFetchHandler(validate(gatewayApp)))
    for (const request of requests) {
      const direct = await call(gatewayApp, request)
      const trip = await call(wrapped, request)
      expect([trip.status, trip.statusText], request.url).toEqual([direct.status, direct.statusText])
      expect(sorted(trip.headers), request.url).toEqual(sorted(direct.headers))
      expect(Buffer.from(trip.body).equals(Buffer.from(direct.body)), request.url).toBe(true)
    }
  })

  it('toFetchHandler(fromFetch(handler)) answers like handler', async () => {
    const handler = async (request: Request): Promise<Response> => {
      const url = new URL(request.url)
      if (url.pathname === '/json') return Response.json({ got: await request.json() }, { status: 201 })
      if (url.pathname === '/redirect') return Response.redirect('http://example.test/elsewhere', 303)
      const headers = new Headers([
        ['set-cookie', 'x=1'],
        ['set-cookie', 'y=2'],
        ['content-type', 'text/plain'],
      ])
      return new Response(`${request.method} ${url.pathname}${url.search}`, { headers })
    }
    const trip = toFetchHandler(validate(fromFetch(handler)))
    const cases = [
      new Request('http://example.test/json', { method: 'POST', body: '{"a":[1,2]}' }),
      new Request('http://example.test/redirect'),
      new Request('http://example.test/plain?q=%20x'),
    ]
    for (const request of cases) {
      const direct = await handler(request.clone())
      const wrapped = await trip(request)
      expect(wrapped.status).toBe(direct.status)
      expect([...wrapped.headers]).toEqual([...direct.headers])
      expect(await wrapped.text()).toBe(await direct.text())
    }
  })
})
