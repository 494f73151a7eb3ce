import { expect, it } from 'vitest'
import type { Context } from './form-tests.ts'

/** Static file, unknown paths and wrong methods. */
export function miscTests(ctx: () => Context): void {
  it('serves the stylesheet with its type, caching headers and ETag revalidation', async () => {
    const { target } = ctx()
    const response = await target('/static/style.css')
    expect(response.status).toBe(200)
    expect(response.header('content-type')).toBe('text/css; charset=utf-8')
    expect(response.header('cache-control')).toBe('public, max-age=3600')
    expect(response.text).toContain('.entry-form')
    const etag = response.header('etag')
    expect(etag).toMatch(/^"[\w-]+"$/)

    const revalidated = await target('/static/style.css', { headers: { 'if-none-match': etag! } })
    expect(revalidated.status).toBe(304)
    expect(revalidated.body.byteLength).toBe(0)
    expect(revalidated.header('etag')).toBe(etag)
  })

  it('serves the page script, and a 404 for an unknown static file', async () => {
    const { target } = ctx()
    const script = await target('/static/guestbook.js')
    expect(script.status).toBe(200)
    expect(script.header('content-type')).toBe('text/javascript; charset=utf-8')
    expect(script.text).toContain("new EventSource('/events')")
    const missing = await target('/static/nope.css')
    expect(missing.status).toBe(404)
    expect(missing.header('content-type')).toBe('text/html; charset=utf-8')
  })

  it('answers HEAD like GET, without the body', async () => {
    const { target } = ctx()
    for (const path of ['/', '/api/entries', '/static/style.css']) {
      const get = await target(path)
      const head = await target(path, { method: 'HEAD' })
      expect(head.status).toBe(200)
      expect(head.body.byteLength).toBe(0)
      expect(head.header('content-type')).toBe(get.header('content-type'))
      expect(head.header('content-length')).toBe(get.header('content-length'))
    }
  })

  it('answers an unknown path with an HTML 404, and one under /api/ in JSON', async () => {
    const { target } = ctx()
    const page = await target('/nowhere')
    expect(page.status).toBe(404)
    expect(page.header('content-type')).toBe('text/html; charset=utf-8')
    const api = await target('/api/nowhere')
    expect(api.status).toBe(404)
    expect(api.header('content-type')).toBe('application/json; charset=utf-8')
  })

  it('answers a known path with the wrong method with 405 and Allow', async () => {
    const { target } = ctx()
    const get = await target('/entries')
    expect(get.status).toBe(405)
    expect(get.header('allow')).toBe('POST')
    const del = await target('/api/entries/1', { method: 'DELETE' })
    expect(del.status).toBe(405)
    expect(del.header('allow')).toBe('GET, HEAD')
    expect(JSON.parse(del.text).error.code).toBe('method_not_allowed')
  })

  it('routes case-sensitively and without a trailing slash', async () => {
    const { target } = ctx()
    expect((await target('/API/entries')).status).toBe(404)
    expect((await target('/api/entries/')).status).toBe(404)
  })
}
