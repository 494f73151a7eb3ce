import { describe, expect, it } from 'vitest'
import { type PlanRequest, planResponse } from '../src/http/response-head.ts'

const req: PlanRequest = { isHead: false, minor: 1, keepAlive: true, serverHeader: 'tsgi', date: 'D' }

describe('planResponse', () => {
  it('picks Content-Length when known, chunked on 1.1, close on 1.0', () => {
    expect(planResponse('200 OK', [], 5, req)).toMatchObject({ mode: 'length', length: 5, keepAlive: true })
    expect(planResponse('200 OK', [], null, req)).toMatchObject({ mode: 'chunked', keepAlive: true })
    expect(planResponse('200 OK', [], null, { ...req, minor: 0 })).toMatchObject({
      mode: 'close',
      keepAlive: false,
    })
  })

  it('serialises the head with Date, Server and framing fields after the app headers', () => {
    expect(planResponse('201 Created', [['A', '1']], 0, req).head).toBe(
      'HTTP/1.1 201 Created\r\nA: 1\r\nDate: D\r\nServer: tsgi\r\nContent-Length: 0\r\n\r\n',
    )
    expect(planResponse('200 OK', [], 0, { ...req, minor: 0, serverHeader: null }).head).toBe(
      'HTTP/1.1 200 OK\r\nDate: D\r\nContent-Length: 0\r\nConnection: keep-alive\r\n\r\n',
    )
  })

  it('has no body for HEAD, 204 and 304', () => {
    expect(planResponse('200 OK', [], 3, { ...req, isHead: true })).toMatchObject({ mode: 'none' })
    expect(planResponse('204 No Content', [['Content-Length', '0']], null, req).head).not.toContain(
      'Content-Length',
    )
    expect(planResponse('304 Not Modified', [], null, req)).toMatchObject({ mode: 'none', keepAlive: true })
  })

  it('rejects bad statuses, names, values and Content-Lengths as app errors', () => {
    for (const [status, headers] of [
      ['200', [['X', 'a\nb']]],
      ['99 Low', []],
      ['200 OK', [['Bad Name', 'v']]],
      ['200 OK', [['X', '\u0100']]],
      ['200 OK', [['Content-Length', '-1']]],
      [
        '200 OK',
        [
          ['Content-Length', '1'],
          ['Content-Length', '2'],
        ],
      ],
    ] as const) {
      expect(() => planResponse(status, headers as never, null, req)).toThrow(
        expect.objectContaining({ code: 'TSGI_INVALID_RESPONSE' }),
      )
    }
  })
})
