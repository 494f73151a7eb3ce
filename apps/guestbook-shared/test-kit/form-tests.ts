import { expect, it } from 'vitest'
import type { KitRequest, Target } from './http-target.ts'

/** What the form and page tests need from the surrounding `describe`. */
export interface Context {
  target: Target
  /** The entries the guestbook holds, newest first, straight from the store. */
  stored(): Array<{ name: string; message: string }>
  /** The page the shared renderer would produce right now, as the app should serve it. */
  expectedPage(): { body: Uint8Array; headers: Array<[string, string]> }
}

/** A urlencoded form POST. */
export function formPost(fields: Record<string, string> | string, contentType?: string): KitRequest {
  const body = typeof fields === 'string' ? fields : new URLSearchParams(fields).toString()
  return {
    method: 'POST',
    headers: { 'content-type': contentType ?? 'application/x-www-form-urlencoded' },
    body: Buffer.from(body, 'latin1'),
  }
}

/** The `GET /` and `POST /entries` tests. */
export function formTests(ctx: () => Context): void {
  it('GET / serves the shared page byte for byte, with the same headers', async () => {
    const { target, expectedPage } = ctx()
    const response = await target('/')
    const expected = expectedPage()
    expect(response.status).toBe(200)
    expect(Buffer.from(response.body).equals(Buffer.from(expected.body))).toBe(true)
    for (const [name, value] of expected.headers) expect(response.header(name)).toBe(value)
    expect(response.header('content-type')).toBe('text/html; charset=utf-8')
    expect(response.header('cache-control')).toBe('no-store')
    expect(response.header('content-security-policy')).toMatch(/^default-src 'self';/)
    expect(response.text).toContain('<form class="entry-form" method="post" action="/entries">')
  })

  it('POST /entries stores the entry and answers 303 to / with a flash cookie shown once', async () => {
    const { target, stored } = ctx()
    const posted = await target('/entries', formPost({ name: 'Ada & co', message: 'Hello <there>' }))
    expect(posted.status).toBe(303)
    expect(posted.header('location')).toBe('/')
    expect(stored()).toEqual([{ name: 'Ada & co', message: 'Hello <there>' }])
    const [cookie] = posted.headerAll('set-cookie')
    expect(cookie).toMatch(/^guestbook_flash=[^;]+; HttpOnly; SameSite=Lax; Path=\/$/)

    const shown = await target('/', { headers: { cookie: cookie!.split(';')[0]! } })
    expect(shown.status).toBe(200)
    expect(shown.text).toContain(
      '<p class="flash" role="status">Thanks, Ada &amp; co! Your entry was added.</p>',
    )
    expect(shown.text).toContain('<p class="entry-message">Hello &lt;there&gt;</p>')
    expect(shown.headerAll('set-cookie')).toEqual([
      'guestbook_flash=; Max-Age=0; HttpOnly; SameSite=Lax; Path=/',
    ])

    const again = await target('/')
    expect(again.text).not.toContain('class="flash"')
    expect(again.headerAll('set-cookie')).toEqual([])
  })

  it('shows entries newest first, escaped', async () => {
    const { target } = ctx()
    await target('/entries', formPost({ name: 'first', message: '<script>alert(1)</script>' }))
    await target('/entries', formPost({ name: 'second', message: 'two' }))
    const page = (await target('/')).text
    expect(page.indexOf('>second<')).toBeGreaterThan(0)
    expect(page.indexOf('>second<')).toBeLessThan(page.indexOf('>first<'))
    expect(page).not.toContain('<script>')
    expect(page).toContain('&lt;script&gt;alert(1)&lt;/script&gt;')
  })

  it.each([
    ['an empty name', { name: '', message: 'kept message' }, 'Name is required.'],
    ['a blank message', { name: 'kept name', message: '   ' }, 'Message is required.'],
    [
      'a too long name',
      { name: 'n'.repeat(81), message: 'x' },
      'Name is too long (81 of at most 80 characters).',
    ],
    ['a too long message', { name: 'x', message: 'm'.repeat(1001) }, 'Message is too long'],
  ])('answers %s with 400, the form kept and nothing stored', async (_, fields, error) => {
    const { target, stored } = ctx()
    const response = await target('/entries', formPost(fields))
    expect(response.status).toBe(400)
    expect(response.header('content-type')).toBe('text/html; charset=utf-8')
    expect(response.text).toContain(error)
    expect(response.text).toContain(`value="${fields.name}"`)
    expect(response.text).toContain(`>\n${fields.message}</textarea>`)
    expect(response.headerAll('set-cookie')).toEqual([])
    expect(stored()).toEqual([])
  })

  it.each([
    ['invalid UTF-8', 'name=Ad\xe9&message=hi', 'The request is not valid UTF-8.'],
    ['escaped invalid UTF-8', 'name=%FF&message=hi', 'The request is not valid UTF-8.'],
    ['a malformed %-escape', 'name=100%&message=hi%2', 'The form data has a malformed %-escape.'],
  ])('answers %s with 400 and nothing stored', async (_, body, error) => {
    const { target, stored } = ctx()
    const response = await target('/entries', formPost(body))
    expect(response.status).toBe(400)
    expect(response.text).toContain(`<p class="form-error" role="alert">${error}</p>`)
    expect(stored()).toEqual([])
  })

  it.each([
    ['text/plain', 'text/plain'],
    ['multipart', 'multipart/form-data; boundary=x'],
    ['another charset', 'application/x-www-form-urlencoded; charset=iso-8859-1'],
  ])('answers a %s body with 415 and nothing stored', async (_, contentType) => {
    const { target, stored } = ctx()
    const response = await target('/entries', formPost({ name: 'a', message: 'b' }, contentType))
    expect(response.status).toBe(415)
    expect(response.header('content-type')).toBe('text/html; charset=utf-8')
    expect(stored()).toEqual([])
  })

  it('accepts an explicit UTF-8 charset and mixed-case media type', async () => {
    const { target, stored } = ctx()
    const response = await target(
      '/entries',
      formPost({ name: 'Zoë', message: '✓' }, 'Application/X-WWW-Form-URLEncoded; Charset="UTF-8"'),
    )
    expect(response.status).toBe(303)
    expect(stored()).toEqual([{ name: 'Zoë', message: '✓' }])
  })

  it('refuses a body over the limit with 413', async () => {
    const { target, stored } = ctx()
    const response = await target('/entries', formPost({ name: 'a', message: 'x'.repeat(70_000) }))
    expect(response.status).toBe(413)
    expect(stored()).toEqual([])
  })
}
