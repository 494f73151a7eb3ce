import { expect, it } from 'vitest'
import type { Context } from './form-tests.ts'
import type { KitRequest } from './http-target.ts'

/** A JSON POST. */
export function jsonPost(value: unknown, contentType = 'application/json'): KitRequest {
  return {
    method: 'POST',
    headers: { 'content-type': contentType },
    body: typeof value === 'string' ? value : JSON.stringify(value),
  }
}

const JSON_TYPE = 'application/json; charset=utf-8'

/** The JSON API tests. */
export function apiTests(ctx: () => Context): void {
  it('POST /api/entries answers 201 with Location and the entry; GET returns it', async () => {
    const { target } = ctx()
    const created = await target('/api/entries', jsonPost({ name: ' Grace ', message: 'Hi <b>' }))
    expect(created.status).toBe(201)
    expect(created.header('content-type')).toBe(JSON_TYPE)
    const entry = JSON.parse(created.text)
    expect(entry).toEqual({ id: 1, name: 'Grace', message: 'Hi <b>', createdAt: '2026-01-01T12:01:00.000Z' })
    expect(created.header('location')).toBe('/api/entries/1')

    const fetched = await target('/api/entries/1')
    expect(fetched.status).toBe(200)
    expect(fetched.header('content-type')).toBe(JSON_TYPE)
    expect(JSON.parse(fetched.text)).toEqual(entry)
  })

  it('GET /api/entries lists entries newest first', async () => {
    const { target } = ctx()
    expect(JSON.parse((await target('/api/entries')).text)).toEqual([])
    await target('/api/entries', jsonPost({ name: 'a', message: 'one' }))
    await target('/api/entries', jsonPost({ name: 'b', message: 'two' }))
    const list = await target('/api/entries')
    expect(list.status).toBe(200)
    expect(list.header('content-type')).toBe(JSON_TYPE)
    expect(JSON.parse(list.text).map((e: { message: string }) => e.message)).toEqual(['two', 'one'])
  })

  it.each(['/api/entries/99', '/api/entries/abc', '/api/entries/0'])(
    'GET %s answers a JSON 404',
    async (path) => {
      const response = await ctx().target(path)
      expect(response.status).toBe(404)
      expect(response.header('content-type')).toBe(JSON_TYPE)
      expect(JSON.parse(response.text).error.code).toBe('not_found')
    },
  )

  it('answers an invalid entry with a 400 naming the fields, nothing stored', async () => {
    const { target, stored } = ctx()
    const response = await target('/api/entries', jsonPost({ name: '', message: 'x'.repeat(1001) }))
    expect(response.status).toBe(400)
    expect(response.header('content-type')).toBe(JSON_TYPE)
    const { error } = JSON.parse(response.text)
    expect(error.code).toBe('invalid_entry')
    expect(Object.keys(error.fields).sort()).toEqual(['message', 'name'])
    expect(stored()).toEqual([])
  })

  it.each([
    ['truncated JSON', '{"name": "a", "message":'],
    ['a JSON array', '[{"name":"a","message":"b"}]'],
    ['invalid UTF-8', Buffer.from('{"name":"\xff","message":"b"}', 'latin1')],
  ])('answers %s with 400 malformed_json', async (_, body) => {
    const { target, stored } = ctx()
    const response = await target('/api/entries', { ...jsonPost({}), body })
    expect(response.status).toBe(400)
    expect(JSON.parse(response.text).error.code).toBe('malformed_json')
    expect(stored()).toEqual([])
  })

  it('answers a non-JSON content type with a JSON 415', async () => {
    const { target, stored } = ctx()
    const response = await target(
      '/api/entries',
      jsonPost('name=a&message=b', 'application/x-www-form-urlencoded'),
    )
    expect(response.status).toBe(415)
    expect(response.header('content-type')).toBe(JSON_TYPE)
    expect(JSON.parse(response.text).error.code).toBe('unsupported_media_type')
    expect(stored()).toEqual([])
  })
}
