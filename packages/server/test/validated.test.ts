import { connect } from 'node:net'
import { join } from 'node:path'
import { type App, validate } from '@tsgi/core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { serve } from '../src/server.ts'
import type { TsgiServer } from '../src/server-options.ts'
import { roundTrip } from './helpers/raw-client.ts'
import { tempDir } from './helpers/temp-dir.ts'

// The server side of every call checked by core's validate() (wsgiref's validated hello):
// the environ, tsgi.input, tsgi.errors and early hints the server provides, per request shape.
const app: App = async (environ, startResponse) => {
  await environ['tsgi.early_hints']?.([['Link', '</s.css>; rel=preload']])
  const line = await environ['tsgi.input'].readline()
  const rest = await environ['tsgi.input'].read()
  environ['tsgi.errors'].write('note\n')
  startResponse('200 OK', [['Content-Type', 'text/plain']])
  return [Buffer.concat([line, rest])]
}

let server: TsgiServer
let port: number
let unixPath: string
const log: string[] = []
beforeAll(async () => {
  unixPath = join(tempDir('tsgi-validated-'), 'sock')
  server = await serve(validate(app, { onViolation: 'report' }), {
    bind: ['127.0.0.1:0', `unix:${unixPath}`],
    errorLog: (t) => log.push(t),
  })
  port = Number(server.address.split(':').pop())
})
afterAll(() => server.close())

const REQUESTS: [string, string][] = [
  ['a GET', 'GET /a%20b?c=d HTTP/1.1\r\nHost: example.com\r\nCookie: a=1\r\nCookie: b=2\r\n'],
  [
    'a POST with Content-Length',
    'POST / HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n\r\nab\ncd',
  ],
  [
    'a chunked POST',
    'POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nab\n\r\n0\r\n\r\n',
  ],
  ['a HEAD', 'HEAD / HTTP/1.1\r\nHost: x\r\n'],
  ['an HTTP/1.0 request', 'GET / HTTP/1.0\r\n'],
  ['an absolute-form target', 'GET http://example.com:81/p HTTP/1.1\r\nHost: example.com:81\r\n'],
  ['OPTIONS *', 'OPTIONS * HTTP/1.1\r\nHost: x\r\n'],
]

describe('validate() on the server side', () => {
  for (const [what, head] of REQUESTS) {
    it(`finds no violation for ${what}`, async () => {
      log.length = 0
      const request = head.includes('\r\n\r\n') ? head : `${head}Connection: close\r\n\r\n`
      const text = await roundTrip(port, request.replace('HTTP/1.1\r\n', 'HTTP/1.1\r\nConnection: close\r\n'))
      expect(text).toMatch(/HTTP\/1\.1 200 OK\r\n/)
      expect(log.filter((l) => l.includes('tsgi validate'))).toEqual([])
      expect(log.join('')).toContain('note\n')
    })
  }

  it('finds no violation over a unix socket without Host', async () => {
    log.length = 0
    const text = await new Promise<string>((resolve) => {
      const socket = connect(unixPath, () => socket.end('GET / HTTP/1.0\r\n\r\n'))
      let out = ''
      socket.on('data', (d) => {
        out += d.toString('latin1')
      })
      socket.on('close', () => resolve(out))
    })
    expect(text).toMatch(/^HTTP\/1\.1 200 OK\r\n/)
    expect(log.filter((l) => l.includes('tsgi validate'))).toEqual([])
  })
})
