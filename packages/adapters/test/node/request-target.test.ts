import { createEnviron } from '@tsgi/core'
import { describe, expect, it } from 'vitest'
import { rawHeadersFromEnviron } from '../../src/node-bridge/raw-headers.ts'
import { requestTarget } from '../../src/node-bridge/request-target.ts'

const target = (keys: Record<string, string | undefined>): string => requestTarget(createEnviron(keys))

describe('requestTarget (req.url)', () => {
  it('is RAW_URI as received when it matches the environ, never normalised', () => {
    expect(target({ RAW_URI: '/a/../%2e/b?x=%20', PATH_INFO: '/a/.././b', QUERY_STRING: 'x=%20' })).toBe(
      '/a/../%2e/b?x=%20',
    )
    expect(target({ RAW_URI: 'http://h.test:8080/p?q', PATH_INFO: '/p', QUERY_STRING: 'q' })).toBe(
      'http://h.test:8080/p?q',
    )
    expect(target({ RAW_URI: '*', PATH_INFO: '', QUERY_STRING: '' })).toBe('*')
  })

  it('keeps a fragment a raw client sent, which the server left out of PATH_INFO and QUERY_STRING', () => {
    // Compared with the fragment left out, the target still matches: it stays raw (%2F not decoded).
    expect(target({ RAW_URI: '/p/a%2Fb#x', PATH_INFO: '/p/a/b', QUERY_STRING: '' })).toBe('/p/a%2Fb#x')
    expect(target({ RAW_URI: '/p?q=1#f?g', PATH_INFO: '/p', QUERY_STRING: 'q=1' })).toBe('/p?q=1#f?g')
    expect(target({ RAW_URI: '/m/r#f', SCRIPT_NAME: '/m', PATH_INFO: '/r', QUERY_STRING: '' })).toBe('/r#f')
  })

  it('drops the SCRIPT_NAME mount point, raw escapes included', () => {
    expect(
      target({ RAW_URI: '/m%20x/rest?q', SCRIPT_NAME: '/m x', PATH_INFO: '/rest', QUERY_STRING: 'q' }),
    ).toBe('/rest?q')
    expect(target({ RAW_URI: '/m', SCRIPT_NAME: '/m', PATH_INFO: '', QUERY_STRING: '' })).toBe('/')
  })

  it('is rebuilt from PATH_INFO and QUERY_STRING when RAW_URI is missing or stale', () => {
    expect(target({ RAW_URI: '/old?q', PATH_INFO: '/new', QUERY_STRING: 'q' })).toBe('/new?q')
    expect(target({ RAW_URI: '/p?old', PATH_INFO: '/p', QUERY_STRING: 'new' })).toBe('/p?new')
    expect(target({ PATH_INFO: '/a b/%/\xe9?', QUERY_STRING: '' })).toBe('/a%20b/%25/%E9%3F')
  })
})

describe('rawHeadersFromEnviron', () => {
  it('spells names in Title-Case, in environ order, and invents nothing', () => {
    const environ = createEnviron({ HTTP_HOST: 'h', HTTP_X_FORWARDED_FOR: '1.2.3.4', HTTP_DNT: '1' })
    expect(rawHeadersFromEnviron(environ)).toEqual(['Host', 'h', 'X-Forwarded-For', '1.2.3.4', 'Dnt', '1'])
    const withBody = createEnviron({ HTTP_HOST: 'h', CONTENT_TYPE: '', CONTENT_LENGTH: '3' })
    expect(rawHeadersFromEnviron(withBody)).toEqual(['Host', 'h', 'Content-Length', '3'])
  })
})
