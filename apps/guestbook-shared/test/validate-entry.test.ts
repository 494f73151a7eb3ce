import { describe, expect, it } from 'vitest'
import { LIMITS, validateEntry } from '../src/index.ts'

describe('validateEntry', () => {
  it('trims and normalises line breaks', () => {
    expect(validateEntry({ name: '  Ada ', message: ' one\r\ntwo\rthree ' })).toEqual({
      ok: true,
      entry: { name: 'Ada', message: 'one\ntwo\nthree' },
    })
  })

  it('requires both fields as non-blank strings', () => {
    expect(validateEntry({ name: '   ', message: 42 })).toEqual({
      ok: false,
      errors: { name: 'Name is required.', message: 'Message is required.' },
    })
  })

  it('counts code points, not UTF-16 units, against the limits', () => {
    expect(validateEntry({ name: '😀'.repeat(LIMITS.nameMaxChars), message: 'x' }).ok).toBe(true)
    const tooLong = validateEntry({ name: 'x'.repeat(LIMITS.nameMaxChars + 1), message: 'x' })
    expect(tooLong).toEqual({
      ok: false,
      errors: { name: 'Name is too long (81 of at most 80 characters).' },
    })
    expect(validateEntry({ name: 'x', message: 'm'.repeat(LIMITS.messageMaxChars + 1) }).ok).toBe(false)
  })

  it('refuses control characters, allowing tabs and line breaks in the message', () => {
    expect(validateEntry({ name: 'a\nb', message: 'x' }).ok).toBe(false)
    expect(validateEntry({ name: 'a', message: 'x\u0000' }).ok).toBe(false)
    expect(validateEntry({ name: 'a', message: 'x\ty\nz' }).ok).toBe(true)
  })
})
