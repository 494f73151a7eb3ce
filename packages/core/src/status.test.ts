import { expect, it } from 'vitest'
import { formatStatus, statusText } from './status.ts'
import { STATUS_CODES } from './status-codes.ts'

it.each([
  [200, '200 OK'],
  [204, '204 No Content'],
  [404, '404 Not Found'],
  [418, "418 I'm a Teapot"],
  [431, '431 Request Header Fields Too Large'],
  [599, '599 '],
])('formatStatus(%i) is %j', (code, status) => {
  expect(formatStatus(code)).toBe(status)
})

it('statusText is the reason phrase, or empty for an unregistered code', () => {
  expect(statusText(503)).toBe('Service Unavailable')
  expect(statusText(299)).toBe('')
})

it.each([99, 600, 999, 1000, 200.5, Number.NaN])('formatStatus(%s) throws response.status', (code) => {
  expect(() => formatStatus(code)).toThrow(expect.objectContaining({ rule: 'response.status' }))
})

it('the table holds three-digit codes with latin-1 reason phrases, and cannot be changed', () => {
  for (const [code, reason] of Object.entries(STATUS_CODES)) {
    expect(code).toMatch(/^[1-5]\d\d$/)
    expect(reason).toMatch(/^[\x20-\x7e]+$/)
  }
  expect(Object.isFrozen(STATUS_CODES)).toBe(true)
  expect(Object.keys(STATUS_CODES)).toHaveLength(63)
})
