import { afterEach, describe, expect, it } from 'vitest'
import type { AccessLogEntry, TsgiServer } from '../src/server-options.ts'
import { echoLineApp } from './helpers/apps.ts'
import { normalize, RawClient, roundTrip, start } from './helpers/raw-client.ts'

let server: TsgiServer | undefined
afterEach(async () => {
  await server?.close()
  server = undefined
})

async function startCounting(limits = {}): Promise<{ port: number; calls: () => number }> {
  let calls = 0
  const s = await start(
    async (environ, startResponse) => {
      calls++
      return echoLineApp(environ, startResponse)
    },
    { limits },
  )
  server = s.server
  return { port: s.port, calls: () => calls }
}

// Each bad request gets its status with Connection: close, and nothing of it reaches the app.
const CASES: [what: string, request: string, status: string][] = [
  ['a missing Host', 'GET / HTTP/1.1\r\n\r\n', '400 Bad Request'],
  [
    'Content-Length with Transfer-Encoding',
    'POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n',
    '400 Bad Request',
  ],
  [
    'an unknown transfer coding',
    'POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: br, chunked\r\n\r\n0\r\n\r\n',
    '501 Not Implemented',
  ],
  ['obs-fold', 'GET / HTTP/1.1\r\nHost: x\r\nA: b\r\n c\r\n\r\n', '400 Bad Request'],
  ['HTTP/2.0 in the request line', 'GET / HTTP/2.0\r\nHost: x\r\n\r\n', '505 HTTP Version Not Supported'],
  ['CONNECT', 'CONNECT a:443 HTTP/1.1\r\nHost: a:443\r\n\r\n', '501 Not Implemented'],
  ['an unknown expectation', 'GET / HTTP/1.1\r\nHost: x\r\nExpect: magic\r\n\r\n', '417 Expectation Failed'],
  ['a long request line', `GET /${'a'.repeat(4094)} HTTP/1.1\r\nHost: x\r\n\r\n`, '414 URI Too Long'],
  [
    'a large field',
    `GET / HTTP/1.1\r\nHost: x\r\nA: ${'b'.repeat(8190)}\r\n\r\n`,
    '431 Request Header Fields Too Large',
  ],
  [
    '101 fields',
    `GET / HTTP/1.1\r\n${Array.from({ length: 101 }, (_, i) => `H${i}: x\r\n`).join('')}\r\n`,
    '431 Request Header Fields Too Large',
  ],
]

describe('bad requests on the wire', () => {
  for (const [what, request, status] of CASES) {
    it(`answers ${what} with ${status} and Connection: close`, async () => {
      const { port, calls } = await startCounting()
      const text = await roundTrip(port, request)
      const body = `${status}\n`
      expect(normalize(text)).toBe(
        `HTTP/1.1 ${status}\r\nDate: X\r\nServer: tsgi\r\nContent-Type: text/plain; charset=latin1\r\n` +
          `Content-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`,
      )
      expect(calls()).toBe(0)
    })
  }

  // RFC 9110 §9.3.2: the same head, no content; a client would read those bytes as the next response.
  for (const [what, request, status] of CASES.filter(([, request]) => request.startsWith('GET '))) {
    it(`answers ${what} in a HEAD request with the head of its ${status} and no content`, async () => {
      const { port } = await startCounting()
      const text = await roundTrip(port, `HEAD ${request.slice(4)}`)
      expect(normalize(text)).toBe(
        `HTTP/1.1 ${status}\r\nDate: X\r\nServer: tsgi\r\nContent-Type: text/plain; charset=latin1\r\n` +
          `Content-Length: ${status.length + 1}\r\nConnection: close\r\n\r\n`,
      )
    })
  }

  it("answers an app's failure on a HEAD request with the head of its 500 and no content", async () => {
    const s = await start(
      () => {
        throw new Error('boom')
      },
      { errorLog: () => {} },
    )
    server = s.server
    const text = await roundTrip(s.port, 'HEAD / HTTP/1.1\r\nHost: x\r\n\r\n')
    expect(normalize(text)).toMatch(
      /^HTTP\/1\.1 500 Internal Server Error\r\n[\s\S]*Content-Length: 26\r\nConnection: close\r\n\r\n$/,
    )
  })

  it('answers 413 for a Content-Length over maxBodyBytes before calling the app', async () => {
    const { port, calls } = await startCounting({ maxBodyBytes: 10 })
    const text = await roundTrip(port, 'POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 11\r\n\r\n')
    expect(text).toMatch(/^HTTP\/1\.1 413 Content Too Large\r\n/)
    expect(calls()).toBe(0)
  })

  it('answers 413 when a chunked body grows over maxBodyBytes, and the app never sees it complete', async () => {
    const { port } = await startCounting({ maxBodyBytes: 10 })
    const text = await roundTrip(
      port,
      'POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n6\r\nabcdef\r\n6\r\nghijkl\r\n0\r\n\r\n',
    )
    expect(text).toMatch(/^HTTP\/1\.1 413 Content Too Large\r\n/)
    expect(text).not.toContain('abcdef')
  })

  it('answers 400 for a malformed chunk while the app reads, never echoing the prefix', async () => {
    const { port } = await startCounting()
    const text = await roundTrip(
      port,
      'POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\nzz\r\n',
    )
    expect(text).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/)
    expect(text).not.toContain('hello')
  })

  it('serves the valid request before a bad pipelined one, then answers 400 and closes', async () => {
    const { port, calls } = await startCounting()
    const text = await roundTrip(
      port,
      'GET /ok HTTP/1.1\r\nHost: x\r\n\r\nGET /bad HTTP/1.1\r\nHost : x\r\n\r\n',
    )
    expect(text).toMatch(/^HTTP\/1\.1 200 OK\r\n[\s\S]*GET \/ok HTTP\/1\.1 400 Bad Request\r\n/)
    expect(calls()).toBe(1)
  })

  it('closes without a response when the client half-closes mid-head', async () => {
    const { port, calls } = await startCounting()
    expect(await roundTrip(port, 'GET /foo HTTP/1.1\r\nHos', true)).toBe('')
    expect(calls()).toBe(0)
  })

  it('answers a complete request sent with a half-close, then closes', async () => {
    const { port } = await startCounting()
    const text = await roundTrip(port, 'POST /x HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\nhi', true)
    expect(text).toMatch(/^HTTP\/1\.1 200 OK\r\n[\s\S]*\r\n\r\nPOST \/x hi$/)
  })

  it('refuses connections over maxConnections and keeps serving the ones it has', async () => {
    const { port } = await startCounting({ maxConnections: 1 })
    const first = await RawClient.connect(port)
    first.write('GET /1 HTTP/1.1\r\nHost: x\r\n\r\n')
    await first.responses(1)
    const second = await RawClient.connect(port)
    expect(await second.whenClosed()).toBe('')
    first.write('GET /2 HTTP/1.1\r\nHost: x\r\n\r\n')
    expect(await first.responses(2)).toContain('GET /2')
    first.destroy()
  })

  it('logs each refused request in the access log, with its status and no request line', async () => {
    const entries: AccessLogEntry[] = []
    const s = await start(echoLineApp, { accessLog: (entry) => entries.push(entry) })
    server = s.server
    for (const [, request] of CASES) await roundTrip(s.port, request)
    expect(entries.map((entry) => entry.status)).toEqual(
      CASES.map(([, , status]) => Number(status.slice(0, 3))),
    )
    expect(entries[0]).toMatchObject({ method: '-', target: '-', protocol: '-', remoteAddr: '127.0.0.1' })
  })
})
