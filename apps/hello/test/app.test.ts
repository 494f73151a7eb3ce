import { inject, validate } from '@tsgi/core'
import { describe, expect, it } from 'vitest'
import app from '../src/app.ts'

describe('apps/hello', () => {
  it('answers Hello, World! as text/plain with its length, within the spec', async () => {
    const response = await inject(validate(app), { url: '/anything' })
    expect(response.status).toBe(200)
    expect(response.headers).toEqual([
      ['Content-Type', 'text/plain'],
      ['Content-Length', '14'],
    ])
    expect(response.text()).toBe('Hello, World!\n')
  })

  it('answers HEAD with the same headers and an empty body, within the spec', async () => {
    const response = await inject(validate(app), { method: 'HEAD', url: '/' })
    expect(response.status).toBe(200)
    expect(response.headers).toEqual([
      ['Content-Type', 'text/plain'],
      ['Content-Length', '14'],
    ])
    expect(response.body.byteLength).toBe(0)
  })

  it('gives each response its own header list', async () => {
    const lists: unknown[] = []
    const startResponse = (_status: string, headers: unknown) => {
      lists.push(headers)
      return async () => {}
    }
    for (let i = 0; i < 2; i++) app({ REQUEST_METHOD: 'GET' } as never, startResponse)
    expect(lists[0]).not.toBe(lists[1])
  })
})
