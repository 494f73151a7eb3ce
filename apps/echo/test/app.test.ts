import { inject, validate } from '@tsgi/core'
import { describe, expect, it } from 'vitest'
import defaultApp, { app } from '../src/app.ts'

const decode = (b64: string): unknown => JSON.parse(Buffer.from(b64, 'base64').toString('utf8'))

describe('apps/echo', () => {
  it('exports the same app as default and as app', () => {
    expect(defaultApp).toBe(app)
  })

  it('echoes method, raw target, version, headers from the environ and the body', async () => {
    const response = await inject(validate(app), {
      method: 'POST',
      url: '/a%20b?x=1',
      headers: [
        ['Host', 'example'],
        ['X-Twice', 'a'],
        ['X-Twice', 'b'],
        ['Content-Type', 'application/octet-stream'],
      ],
      body: new Uint8Array([0, 0xff, 0x41]),
    })
    expect(response.status).toBe(200)
    const echo = JSON.parse(response.text())
    expect(echo).toMatchObject({ method: 'POST', target: '/a%20b?x=1', version: 'HTTP/1.1' })
    expect(Buffer.from(echo.body_b64, 'base64')).toEqual(Buffer.from([0, 0xff, 0x41]))
    expect(new Map(echo.headers)).toEqual(
      new Map([
        ['host', 'example'],
        ['x-twice', 'a, b'],
        ['content-type', 'application/octet-stream'],
        ['content-length', '3'],
      ]),
    )
    const header = response.headers.find(([name]) => name === 'X-Echo-B64')
    expect(decode(header![1])).toEqual(echo)
  })

  it('keeps latin-1 header bytes as one code point each', async () => {
    const response = await inject(app, { headers: { 'X-Bytes': '\xe9\xff' } })
    expect(JSON.parse(response.text()).headers).toContainEqual(['x-bytes', '\xe9\xff'])
  })

  it('answers HEAD with the echo in X-Echo-B64 only', async () => {
    const response = await inject(validate(app), { method: 'HEAD', url: '/h' })
    expect(response.body).toHaveLength(0)
    const header = response.headers.find(([name]) => name === 'X-Echo-B64')
    expect(decode(header![1])).toMatchObject({ method: 'HEAD', target: '/h', body_b64: '' })
  })
})
