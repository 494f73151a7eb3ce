import { describe, expect, it } from 'vitest'
import { TsgiSpecError } from './errors.ts'
import { inject } from './inject.ts'
import type { InjectRequest } from './request-environ.ts'
import type { App, Body, HeaderList, StartResponse, Write } from './types.ts'
import { validate } from './validate/validate.ts'

const encode = (text: string): Uint8Array => new TextEncoder().encode(text)

/** An app that starts `status`, runs `then` (awaited), and returns `body` as it is. */
function answer(
  status: string,
  headers: HeaderList,
  body: unknown = [],
  then: (start: StartResponse, write: Write) => unknown = () => {},
): App {
  return async (_e, start) => {
    const write = start(status, headers)
    await then(start, write)
    return body as Body
  }
}

/** An app that answers with its environ (the keys a test asks about) as JSON. */
function echo(...keys: string[]): App {
  return async (environ, start) => {
    const body = await environ['tsgi.input'].read()
    start('200 OK', [['Content-Type', 'application/json']])
    const picked = Object.fromEntries(keys.map((key) => [key, environ[key]]))
    return [encode(JSON.stringify({ ...picked, body: new TextDecoder().decode(body) }))]
  }
}

describe('inject builds the environ a server would', () => {
  it('splits the target, percent-decodes PATH_INFO to latin-1, keeps RAW_URI', async () => {
    const response = await inject(echo('PATH_INFO', 'QUERY_STRING', 'RAW_URI'), {
      url: '/a%20b/caf%C3%A9/../x?q=1%202',
    })
    expect(JSON.parse(response.text())).toMatchObject({
      PATH_INFO: '/a b/caf\u00c3\u00a9/../x',
      QUERY_STRING: 'q=1%202',
      RAW_URI: '/a%20b/caf%C3%A9/../x?q=1%202',
    })
  })

  it('takes scheme, host and port from an absolute URL', async () => {
    const response = await inject(
      echo('tsgi.url_scheme', 'HTTP_HOST', 'SERVER_NAME', 'SERVER_PORT', 'PATH_INFO'),
      {
        url: 'https://example.com:8443/p',
      },
    )
    expect(JSON.parse(response.text())).toMatchObject({
      'tsgi.url_scheme': 'https',
      HTTP_HOST: 'example.com:8443',
      SERVER_NAME: 'example.com',
      SERVER_PORT: '8443',
      PATH_INFO: '/p',
    })
  })

  it('maps headers to CGI keys, joining repeats (cookies with "; ")', async () => {
    const response = await inject(
      echo('HTTP_HOST', 'SERVER_NAME', 'HTTP_X_A', 'HTTP_COOKIE', 'CONTENT_TYPE', 'HTTP_CONTENT_TYPE'),
      {
        headers: [
          ['Host', 'api.test'],
          ['X-A', '1'],
          ['x-a', '2'],
          ['Cookie', 'a=1'],
          ['Cookie', 'b=2'],
          ['Content-Type', 'text/plain'],
        ],
      },
    )
    expect(JSON.parse(response.text())).toEqual({
      HTTP_HOST: 'api.test',
      SERVER_NAME: 'api.test',
      HTTP_X_A: '1, 2',
      HTTP_COOKIE: 'a=1; b=2',
      CONTENT_TYPE: 'text/plain',
      body: '',
    })
  })

  it('passes a body through tsgi.input with CONTENT_LENGTH', async () => {
    const response = await inject(echo('REQUEST_METHOD', 'CONTENT_LENGTH'), {
      method: 'PUT',
      headers: { 'x-list': ['a', 'b'] },
      body: 'é!',
    })
    expect(JSON.parse(response.text())).toEqual({ REQUEST_METHOD: 'PUT', CONTENT_LENGTH: '3', body: 'é!' })
  })

  it('lets the test replace environ keys', async () => {
    const response = await inject(echo('REMOTE_ADDR'), { environ: { REMOTE_ADDR: '203.0.113.9' } })
    expect(JSON.parse(response.text()).REMOTE_ADDR).toBe('203.0.113.9')
  })
})

describe('inject collects the response as a server would', () => {
  it('returns status, reason, headers and body', async () => {
    const app = answer(
      '404 Not Found',
      [
        ['Set-Cookie', 'a=1'],
        ['Set-Cookie', 'b=2'],
      ],
      [encode('nope')],
    )
    const response = await inject(app)
    expect(response).toMatchObject({
      status: 404,
      statusText: 'Not Found',
      headers: [
        ['Set-Cookie', 'a=1'],
        ['Set-Cookie', 'b=2'],
      ],
    })
    expect(response.text()).toBe('nope')
  })

  it('concatenates write() calls and yielded chunks in order, and closes the body', async () => {
    let closed = false
    const app: App = async (_e, start) => {
      const write = start('200 OK', [])
      await write(encode('a'))
      await write(encode('b'))
      return Object.assign([encode('c'), new Uint8Array(), encode('d')], {
        close: () => {
          closed = true
        },
      })
    }
    expect((await inject(app)).text()).toBe('abcd')
    expect(closed).toBe(true)
  })

  it('runs an async generator that starts the response itself', async () => {
    const app: App = (_e, start) =>
      (async function* () {
        start('200 OK', [])
        yield encode('streamed')
      })()
    expect((await inject(app)).text()).toBe('streamed')
  })

  it('drops the body of a HEAD response but runs and closes it', async () => {
    let closed = false
    const body = Object.assign([encode('hello')], {
      close: () => {
        closed = true
      },
    })
    const app = answer('200 OK', [['Content-Length', '5']], body)
    const response = await inject(app, { method: 'HEAD' })
    expect(response.body.byteLength).toBe(0)
    expect(response.headers).toEqual([['Content-Length', '5']])
    expect(closed).toBe(true)
  })

  it('lets excInfo replace unsent headers', async () => {
    const app: App = (_e, start) => {
      start('200 OK', [['X-First', '1']])
      start('500 Internal Server Error', [['Content-Type', 'text/plain']], new Error('boom'))
      return [encode('error page')]
    }
    const response = await inject(app)
    expect([response.status, response.headers, response.text()]).toEqual([
      500,
      [['Content-Type', 'text/plain']],
      'error page',
    ])
  })

  it('rethrows excInfo once bytes went out', async () => {
    const boom = new Error('boom')
    const app: App = async (_e, start) => {
      await start('200 OK', [])(encode('partial'))
      start('500 Internal Server Error', [], boom)
      return []
    }
    await expect(inject(app)).rejects.toBe(boom)
  })

  it('rejects with the app error, after closing the body', async () => {
    let closed = false
    const app: App = (_e, start) => {
      start('200 OK', [])
      return Object.assign(
        (function* () {
          yield encode('a')
          throw new Error('mid-stream')
        })(),
        {
          close: () => {
            closed = true
          },
        },
      )
    }
    await expect(inject(app)).rejects.toThrow('mid-stream')
    expect(closed).toBe(true)
  })

  it.each<[string, App, string]>([
    ['a second startResponse', answer('200 OK', [], [], (s) => s('200 OK', [])), 'response.start-once'],
    ['a status without a reason separator', answer('200', []), 'response.status'],
    ['a string body', answer('200 OK', [], 'text'), 'body.type'],
    ['a bare Uint8Array body', answer('200 OK', [], encode('x')), 'body.type'],
    ['a non-byte chunk', answer('200 OK', [], ['x']), 'body.chunk-type'],
    ['no startResponse at all', () => [], 'response.started-before-body'],
    ['write() of a string', answer('200 OK', [], [], (_s, write) => write('x' as never)), 'write.bytes'],
  ])('rejects %s with TsgiSpecError', async (_name, app, rule) => {
    const error = await inject(app).catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(TsgiSpecError)
    expect(error).toMatchObject({ rule })
  })

  it.each<InjectRequest>([
    {},
    { method: 'POST', url: 'http://h.test:81/x?y', body: 'abc' },
    { method: 'OPTIONS', url: '*' },
    { url: '/%FF%00?a', headers: { cookie: ['a=1', 'b=2'], 'content-type': 'text/plain' } },
    { method: 'PATCH', body: (async function* () {})() },
  ])('builds an environ validate() accepts: %j', async (request) => {
    const app: App = async (environ, start) => {
      await environ['tsgi.input'].read()
      start('204 No Content', [])
      return []
    }
    await expect(inject(validate(app), request)).resolves.toMatchObject({ status: 204 })
  })
})
