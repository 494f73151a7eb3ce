import { describe, expect, it } from 'vitest'
import { createEnviron, type EnvironInit } from './create-environ.ts'
import { applicationUri, requestUri, shiftPathInfo } from './url.ts'

// The behaviours wsgiref.util's tests pin down, on createEnviron's defaults (http://127.0.0.1/).
describe('applicationUri', () => {
  it.each<[string, EnvironInit]>([
    ['http://127.0.0.1/', {}],
    ['http://127.0.0.1/spam', { SCRIPT_NAME: '/spam' }],
    ['http://127.0.0.1/sp%E4m', { SCRIPT_NAME: '/sp\u00e4m' }],
    ['http://spam.example.com:2071/', { HTTP_HOST: 'spam.example.com:2071', SERVER_PORT: '2071' }],
    ['http://spam.example.com/', { SERVER_NAME: 'spam.example.com' }],
    ['http://127.0.0.1/', { HTTP_HOST: '127.0.0.1', SERVER_NAME: 'spam.example.com' }],
    ['https://127.0.0.1/', { HTTPS: 'on' }],
    ['http://127.0.0.1:8000/', { SERVER_PORT: '8000', HTTP_HOST: undefined }],
    [
      'https://example.com:8443/',
      { HTTPS: 'yes', SERVER_NAME: 'example.com', SERVER_PORT: '8443', HTTP_HOST: undefined },
    ],
    ['https://example.com/', { HTTPS: '1', SERVER_NAME: 'example.com', HTTP_HOST: undefined }],
    ['http://example.com:443/', { SERVER_NAME: 'example.com', SERVER_PORT: '443', HTTP_HOST: undefined }],
  ])('%s', (expected, init) => {
    expect(applicationUri(createEnviron(init))).toBe(expected)
  })
})

describe('requestUri', () => {
  it.each<[string, EnvironInit]>([
    ['http://127.0.0.1/', {}],
    ['http://127.0.0.1/spam', { SCRIPT_NAME: '/spam' }],
    ['http://127.0.0.1/sp%E4m', { SCRIPT_NAME: '/sp\u00e4m' }],
    ['http://127.0.0.1/spammity/spam', { SCRIPT_NAME: '/spammity', PATH_INFO: '/spam' }],
    ['http://127.0.0.1/spammity/sp%E4m', { SCRIPT_NAME: '/spammity', PATH_INFO: '/sp\u00e4m' }],
    ['http://127.0.0.1/spammity/spam;ham', { SCRIPT_NAME: '/spammity', PATH_INFO: '/spam;ham' }],
    [
      'http://127.0.0.1/spammity/spam;cookie=1234,5678',
      { SCRIPT_NAME: '/spammity', PATH_INFO: '/spam;cookie=1234,5678' },
    ],
    [
      'http://127.0.0.1/spammity/spam?say=ni',
      { SCRIPT_NAME: '/spammity', PATH_INFO: '/spam', QUERY_STRING: 'say=ni' },
    ],
    [
      'http://127.0.0.1/spammity/spam?s%3Bay=ni',
      { SCRIPT_NAME: '/spammity', PATH_INFO: '/spam', QUERY_STRING: 's%3Bay=ni' },
    ],
    ['http://127.0.0.1/a%20b%3Fc%23d%25', { PATH_INFO: '/a b?c#d%' }],
    ['http://127.0.0.1/caf%C3%A9', { PATH_INFO: '/caf\u00c3\u00a9' }],
  ])('%s', (expected, init) => {
    expect(requestUri(createEnviron(init))).toBe(expected)
  })

  it('leaves the query out when asked', () => {
    const environ = createEnviron({ SCRIPT_NAME: '/spammity', PATH_INFO: '/spam', QUERY_STRING: 'say=ni' })
    expect(requestUri(environ, false)).toBe('http://127.0.0.1/spammity/spam')
  })
})

describe('shiftPathInfo', () => {
  // [SCRIPT_NAME, PATH_INFO] before -> [returned name, SCRIPT_NAME, PATH_INFO] after
  it.each<[string, string, string | undefined, string, string]>([
    ['', '/', '', '/', ''],
    ['', '/x', 'x', '/x', ''],
    ['/', '', undefined, '/', ''],
    ['/a', '/x/y', 'x', '/a/x', '/y'],
    ['/a', '/x/', 'x', '/a/x', '/'],
    // normalisation: '..' climbs, '.' and empty segments vanish, a trailing slash is kept
    ['/a/b', '/../y', '..', '/a', '/y'],
    ['', '/../y', '..', '', '/y'],
    ['/a/b', '//y', 'y', '/a/b/y', ''],
    ['/a/b', '//y/', 'y', '/a/b/y', '/'],
    ['/a/b', '/./y', 'y', '/a/b/y', ''],
    ['/a/b', '/./y/', 'y', '/a/b/y', '/'],
    ['/a/b', '///./..//y/.//', '..', '/a', '/y/'],
    ['/a/b', '///', '', '/a/b/', ''],
    ['/a/b', '/.//', '', '/a/b/', ''],
    ['/a/b', '/x//', 'x', '/a/b/x', '/'],
    ['/a/b', '/.', undefined, '/a/b', ''],
  ])('(%j, %j) -> %j, %j, %j', (script, path, name, newScript, newPath) => {
    const environ = { SCRIPT_NAME: script, PATH_INFO: path }
    expect(shiftPathInfo(environ)).toBe(name)
    expect(environ).toEqual({ SCRIPT_NAME: newScript, PATH_INFO: newPath })
  })

  it('walks a whole path segment by segment', () => {
    const environ = createEnviron({ PATH_INFO: '/blog/2024/post' })
    const names: Array<string | undefined> = []
    for (let name = shiftPathInfo(environ); name !== undefined; name = shiftPathInfo(environ))
      names.push(name)
    expect(names).toEqual(['blog', '2024', 'post'])
    expect([environ.SCRIPT_NAME, environ.PATH_INFO]).toEqual(['/blog/2024/post', ''])
  })
})
