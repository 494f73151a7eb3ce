import { describe, expect, it } from 'vitest'
import { clfTime, formatCommon, formatJson } from '../src/access-log.ts'
import type { AccessLogEntry } from '../src/server.ts'

const entry: AccessLogEntry = {
  remoteAddr: '127.0.0.1',
  method: 'GET',
  target: '/search?q=1',
  protocol: 'HTTP/1.1',
  status: 200,
  bytes: 14,
  durationMs: 0.4123,
  startTime: new Date(Date.UTC(2026, 10, 6, 4, 5, 9)),
  userAgent: 'curl/8.5.0',
}

describe('clfTime', () => {
  it('writes day/month/year:time in UTC with a +0000 offset', () => {
    expect(clfTime(entry.startTime)).toBe('06/Nov/2026:04:05:09 +0000')
  })
})

describe('formatCommon', () => {
  it('writes the Common Log Format line followed by the duration', () => {
    expect(formatCommon(entry)).toBe(
      '127.0.0.1 - - [06/Nov/2026:04:05:09 +0000] "GET /search?q=1 HTTP/1.1" 200 14 0.412ms',
    )
  })

  it('writes - for a response without body bytes, as CLF does', () => {
    expect(formatCommon({ ...entry, status: 304, bytes: 0 })).toContain('" 304 - ')
  })

  it('escapes quotes, backslashes and control bytes so a target cannot forge a line', () => {
    const line = formatCommon({ ...entry, target: '/a"b\\c\nd\xe9' })
    expect(line).toContain('"GET /a\\"b\\\\c\\x0ad\\xe9 HTTP/1.1"')
    expect(line).not.toContain('\n')
  })

  it('writes - when the peer address is unknown (a unix socket)', () => {
    expect(formatCommon({ ...entry, remoteAddr: '' }).startsWith('- - - [')).toBe(true)
  })
})

describe('formatJson', () => {
  it('writes one JSON object with every field, snake_case', () => {
    expect(JSON.parse(formatJson(entry))).toEqual({
      time: '2026-11-06T04:05:09.000Z',
      remote_addr: '127.0.0.1',
      method: 'GET',
      target: '/search?q=1',
      protocol: 'HTTP/1.1',
      status: 200,
      bytes: 14,
      duration_ms: 0.412,
      user_agent: 'curl/8.5.0',
    })
  })

  it('keeps a raw target with quotes and newlines inside one line', () => {
    const line = formatJson({ ...entry, target: '/"\n', referer: 'http://a/' })
    expect(line).not.toContain('\n')
    expect(JSON.parse(line)).toMatchObject({ target: '/"\\x0a', referer: 'http://a/' })
  })

  it('escapes bytes outside printable ASCII as the common format does, not as UTF-8 mojibake', () => {
    // The target is bytes as latin-1: /\xff\xc3\xa9 arrived as the bytes ff c3 a9 (a stray byte, then é).
    const raw = { ...entry, target: '/\xff\xc3\xa9?a=\\x41', referer: 'http://a/\xe9', userAgent: 'ua\x01' }
    const line = formatJson(raw)
    expect(line).toMatch(/^[\x20-\x7e]*$/) // ASCII only: nothing for a UTF-8 reader to re-encode
    const parsed = JSON.parse(line)
    expect(parsed).toMatchObject({
      target: '/\\xff\\xc3\\xa9?a=\\\\x41',
      referer: 'http://a/\\xe9',
      user_agent: 'ua\\x01',
    })
    expect(formatCommon(raw)).toContain(`"GET ${parsed.target} HTTP/1.1"`)
  })
})
