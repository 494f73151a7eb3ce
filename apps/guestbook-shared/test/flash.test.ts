import { describe, expect, it } from 'vitest'
import { clearFlashCookie, readFlash, setFlashCookie } from '../src/index.ts'

describe('flash cookie', () => {
  it('round-trips any text through cookie-safe characters', () => {
    const text = 'Thanks, Zoë; "x=1", <b>!'
    const cookie = setFlashCookie(text)
    expect(cookie).toMatch(/^guestbook_flash=[\w%!'()*.~-]+; HttpOnly; SameSite=Lax; Path=\/$/)
    const pair = cookie.split(';')[0]
    expect(readFlash(`other=1; ${pair}; more=2`)).toBe(text)
  })

  it('clears with Max-Age=0 and the same attributes', () => {
    expect(clearFlashCookie()).toBe('guestbook_flash=; Max-Age=0; HttpOnly; SameSite=Lax; Path=/')
  })

  it('ignores missing, empty and undecodable cookies', () => {
    expect(readFlash(undefined)).toBeUndefined()
    expect(readFlash('guestbook_flash=')).toBeUndefined()
    expect(readFlash('guestbook_flash=%E0%A4%A')).toBeUndefined()
    expect(readFlash('xguestbook_flash=a')).toBeUndefined()
  })
})
