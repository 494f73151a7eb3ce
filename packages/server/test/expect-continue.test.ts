import type { App } from '@tsgi/core'
import { afterEach, describe, expect, it } from 'vitest'
import type { TsgiServer } from '../src/server-options.ts'
import { echoLineApp } from './helpers/apps.ts'
import { normalize, RawClient, start } from './helpers/raw-client.ts'

let server: TsgiServer | undefined
afterEach(async () => {
  await server?.close()
  server = undefined
})

const UPLOAD = 'POST /up HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n'

describe('Expect: 100-continue', () => {
  it('sends 100 Continue on the first read, then the final response', async () => {
    const s = await start(echoLineApp)
    server = s.server
    const client = await RawClient.connect(s.port)
    client.write(UPLOAD)
    await client.waitFor((t) => t === 'HTTP/1.1 100 Continue\r\n\r\n')
    client.write('hello')
    const text = await client.waitFor((t) => t.endsWith('POST /up hello'))
    expect(normalize(text)).toBe(
      'HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nDate: X\r\nServer: tsgi\r\n' +
        'Content-Length: 14\r\n\r\nPOST /up hello',
    )
    client.destroy()
  })

  it('sends no 100 to an app that refuses without reading, and closes rather than wait for the upload', async () => {
    let reads = 0
    const refuse: App = (environ, startResponse) => {
      const input = environ['tsgi.input']
      const read = input.read.bind(input)
      input.read = (size?: number) => {
        reads++
        return read(size)
      }
      startResponse('413 Content Too Large', [])
      return [Buffer.from('too big')]
    }
    const s = await start(refuse)
    server = s.server
    const client = await RawClient.connect(s.port)
    client.write(UPLOAD)
    const text = normalize(await client.whenClosed())
    expect(text).toBe(
      // RFC 9110 §10.1.1: the head says the connection closes, so the client need not send the body.
      'HTTP/1.1 413 Content Too Large\r\nDate: X\r\nServer: tsgi\r\nContent-Length: 7\r\nConnection: close\r\n\r\ntoo big',
    )
    expect(reads).toBe(0)
  })

  it('ignores Expect: 100-continue on HTTP/1.0 (RFC 9110 §10.1.1)', async () => {
    const s = await start(echoLineApp)
    server = s.server
    const client = await RawClient.connect(s.port)
    client.write('POST /up HTTP/1.0\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\nhi')
    const text = await client.whenClosed()
    expect(text).not.toContain('100 Continue')
    expect(text.endsWith('POST /up hi')).toBe(true)
  })
})

describe('tsgi.early_hints', () => {
  const hinting: App = async (environ, startResponse) => {
    await environ['tsgi.early_hints']!([['Link', '</a.css>; rel=preload']])
    startResponse('200 OK', [])
    return [Buffer.from('ok')]
  }

  it('sends 103 Early Hints before the response on HTTP/1.1', async () => {
    const s = await start(hinting)
    server = s.server
    const client = await RawClient.connect(s.port)
    client.write('GET / HTTP/1.1\r\nHost: x\r\n\r\n')
    const text = await client.waitFor((t) => t.endsWith('ok'))
    expect(normalize(text)).toBe(
      'HTTP/1.1 103 Early Hints\r\nLink: </a.css>; rel=preload\r\n\r\n' +
        'HTTP/1.1 200 OK\r\nDate: X\r\nServer: tsgi\r\nContent-Length: 2\r\n\r\nok',
    )
    client.destroy()
  })

  it('sends nothing interim to an HTTP/1.0 client', async () => {
    const s = await start(hinting)
    server = s.server
    const client = await RawClient.connect(s.port)
    client.write('GET / HTTP/1.0\r\n\r\n')
    expect(await client.whenClosed()).toMatch(/^HTTP\/1\.1 200 OK\r\n/)
  })
})
