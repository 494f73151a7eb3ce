import { describe, expect, it } from 'vitest'
import { escapeHtml, html, renderPage } from '../src/index.ts'

const evil = `<script>alert("x")</script>&'`

describe('html', () => {
  it('escapes interpolated text but keeps nested html', () => {
    expect(escapeHtml(evil)).toBe('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&#39;')
    expect(html`<p>${evil}${html`<b>${'<i>'}</b>`}</p>`.toString()).toBe(
      `<p>${escapeHtml(evil)}<b>&lt;i&gt;</b></p>`,
    )
  })
})

describe('renderPage', () => {
  const entry = { id: 7, name: evil, message: `${evil}\nline two`, createdAt: Date.UTC(2026, 0, 2, 3, 4) }

  it('escapes every user-supplied string', () => {
    const page = renderPage({
      entries: [entry],
      flash: evil,
      values: { name: evil, message: evil },
      errors: { name: evil },
    })
    expect(page).not.toContain('<script>')
    expect(page.split(escapeHtml(evil)).length - 1).toBe(6)
    expect(page).toContain('<time datetime="2026-01-02T03:04:00.000Z">2026-01-02 03:04 UTC</time>')
  })

  it('shows the flash only when given, and an empty state without entries', () => {
    const page = renderPage({ entries: [] })
    expect(page).not.toContain('class="flash"')
    expect(page).toContain('No entries yet')
    expect(renderPage({ entries: [], flash: 'Hi' })).toContain('<p class="flash" role="status">Hi</p>')
  })

  it('keeps a message starting with a line break through the textarea', () => {
    expect(renderPage({ entries: [], values: { message: '\nx' } })).toContain('rows="4">\n\nx</textarea>')
  })

  it('marks invalid fields and says what is wrong', () => {
    const page = renderPage({ entries: [], errors: { message: 'Message is required.' } })
    expect(page).toContain('aria-invalid="true" aria-describedby="message-error"')
    expect(page).toContain('<p class="field-error" id="message-error">Message is required.</p>')
    expect(page).toContain('<p class="form-error" role="alert">Please correct the errors below.</p>')
  })
})
