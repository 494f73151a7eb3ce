import { describe, expect, it } from 'vitest'
import { inject } from '../src/inject.ts'
import type { App, Environ } from '../src/types.ts'

/** The environ `inject` built for `url`, as the app saw it. */
async function environFor(url: string): Promise<Environ> {
  let seen: Environ | undefined
  const app: App = (environ, startResponse) => {
    seen = environ
    startResponse('204 No Content', [])
    return []
  }
  await inject(app, { url })
  return seen!
}

describe('inject: the environ a server would build', () => {
  it('keeps the target as sent in RAW_URI and decodes PATH_INFO byte by byte', async () => {
    const environ = await environFor('/a%2Fb/%E9?x=%20')
    expect(environ.RAW_URI).toBe('/a%2Fb/%E9?x=%20')
    expect(environ.PATH_INFO).toBe('/a/b/\xe9')
    expect(environ.QUERY_STRING).toBe('x=%20')
  })

  it('keeps a fragment in RAW_URI, as a server receives it, out of the path and the query', async () => {
    const environ = await environFor('/p/a%2Fb?q=1#frag?not=query')
    expect(environ.RAW_URI).toBe('/p/a%2Fb?q=1#frag?not=query')
    expect(environ.PATH_INFO).toBe('/p/a/b')
    expect(environ.QUERY_STRING).toBe('q=1')
    const noQuery = await environFor('/p#x?y')
    expect([noQuery.PATH_INFO, noQuery.QUERY_STRING]).toEqual(['/p', ''])
  })

  it('takes scheme and Host from an absolute URL', async () => {
    const environ = await environFor('https://h.test:8443/x?y')
    expect(environ['tsgi.url_scheme']).toBe('https')
    expect([environ.HTTP_HOST, environ.SERVER_NAME, environ.SERVER_PORT]).toEqual([
      'h.test:8443',
      'h.test',
      '8443',
    ])
    expect([environ.PATH_INFO, environ.QUERY_STRING]).toEqual(['/x', 'y'])
  })

  it('reads an empty path of an absolute URL as /, before a query or a fragment', async () => {
    for (const [url, raw, query] of [
      ['http://h.test', '/', ''],
      ['http://h.test?q=1', '/?q=1', 'q=1'],
      ['http://h.test#f', '/#f', ''],
    ] as const) {
      const environ = await environFor(url)
      expect([environ.RAW_URI, environ.PATH_INFO, environ.QUERY_STRING]).toEqual([raw, '/', query])
    }
  })
})
