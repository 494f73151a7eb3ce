import { describe, expect, it } from 'vitest'
import { LIMITS, resolveLimits } from '../src/limits.ts'

describe('limits', () => {
  it('keeps gunicorn defaults for the head limits', () => {
    const limits = resolveLimits()
    expect(limits.maxRequestLineBytes).toBe(4094)
    expect(limits.maxHeaderCount).toBe(100)
    expect(limits.maxHeaderFieldBytes).toBe(8190)
  })

  it('gives every row a unit in its name, a flag and a reason', () => {
    for (const [name, row] of Object.entries(LIMITS)) {
      const suffix = { bytes: 'Bytes', ms: 'Ms', count: /(Count|Connections)$/ }[row.unit]
      expect(name).toMatch(typeof suffix === 'string' ? new RegExp(`${suffix}$`) : suffix)
      expect(row.flag).toMatch(/^--[a-z-]+$/)
      expect(row.description.length).toBeGreaterThan(40)
    }
  })

  it('overrides, lifts with null, and rejects bad values and unknown names', () => {
    expect(resolveLimits({ maxBodyBytes: 10, headersTimeoutMs: null })).toMatchObject({
      maxBodyBytes: 10,
      headersTimeoutMs: null,
    })
    expect(() => resolveLimits({ maxHeaderCount: -1 })).toThrow(
      expect.objectContaining({ code: 'TSGI_INVALID_LIMIT' }),
    )
    expect(() => resolveLimits({ maxHeaderCount: 1.5 })).toThrow(/non-negative integer/)
    expect(() => resolveLimits({ nope: 1 } as never)).toThrow(
      expect.objectContaining({ code: 'TSGI_INVALID_LIMIT' }),
    )
  })
})
