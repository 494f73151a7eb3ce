import type { ErrorStream } from '@tsgi/core'
import { describe, expect, it } from 'vitest'
import { buildEnviron, type ConnectionInfo, decodePath, environKey } from '../src/environ.ts'
import { parseRequestHead } from '../src/http/request-head.ts'
import { RequestInput } from '../src/input.ts'
import { resolveLimits } from '../src/limits.ts'

const conn: ConnectionInfo = {
  remoteAddress: '10.0.0.1',
  remotePort: '5555',
  localAddress: '127.0.0.1',
  localPort: '8000',
  urlScheme: 'http',
  multiprocess: true,
  identity: Object.freeze(Object.create(null)),
}

function environOf(raw: string): Record<string, unknown> {
  const bytes = Buffer.from(raw, 'latin1')
  const head = parseRequestHead(bytes, 0, bytes.length, resolveLimits())
  const errors: ErrorStream = { write() {}, writelines() {}, flush() {} }
  const streams = {
    input: new RequestInput(null),
    errors,
    signal: () => new AbortController().signal,
    earlyHints: async () => {},
  }
  return buildEnviron(head, conn, streams)
}

describe('buildEnviron', () => {
  it('keeps the header lines as received in tsgi-server.raw_headers: spelling, repeats and order', () => {
    const env = environOf(
      'GET / HTTP/1.1\r\nhost: h\r\nX-Trace: a\r\ncontent-TYPE: text/plain\r\nX-Trace: b\r\n\r\n',
    )
    expect(env['tsgi-server.raw_headers']).toEqual([
      'host',
      'h',
      'X-Trace',
      'a',
      'content-TYPE',
      'text/plain',
      'X-Trace',
      'b',
    ])
    expect(env.HTTP_X_TRACE).toBe('a, b')
  })

  it('is a plain object whose keys come in the order DESIGN.md lists them, then its extension keys (it is built by a constructor)', () => {
    const env = environOf('GET /p?q HTTP/1.1\r\nHost: h\r\nUser-Agent: t\r\n\r\n')
    expect(Object.getPrototypeOf(env)).toBe(Object.prototype)
    expect(env.constructor).toBe(Object)
    expect(Object.keys(env)).toEqual([
      'REQUEST_METHOD',
      'SCRIPT_NAME',
      'PATH_INFO',
      'QUERY_STRING',
      'SERVER_NAME',
      'SERVER_PORT',
      'SERVER_PROTOCOL',
      'REMOTE_ADDR',
      'REMOTE_PORT',
      'LOCAL_ADDR',
      'LOCAL_PORT',
      'RAW_URI',
      'tsgi.version',
      'tsgi.url_scheme',
      'tsgi.input',
      'tsgi.errors',
      'tsgi.multithread',
      'tsgi.multiprocess',
      'tsgi.run_once',
      'tsgi.input_terminated',
      'tsgi.early_hints',
      'tsgi.signal',
      'tsgi-server.connection',
      'tsgi-server.raw_headers',
      'HTTP_HOST',
      'HTTP_USER_AGENT',
    ])
  })

  it('builds the CGI keys, latin-1 and percent-decoded PATH_INFO, and RAW_URI as received', () => {
    const env = environOf('GET /a%20b/%C3%A9%2F?x=%20y#frag HTTP/1.1\r\nHost: example.com:81\r\n\r\n')
    expect(env).toMatchObject({
      REQUEST_METHOD: 'GET',
      SCRIPT_NAME: '',
      PATH_INFO: '/a b/\u00c3\u00a9/',
      QUERY_STRING: 'x=%20y',
      RAW_URI: '/a%20b/%C3%A9%2F?x=%20y#frag',
      SERVER_NAME: 'example.com',
      SERVER_PORT: '81',
      SERVER_PROTOCOL: 'HTTP/1.1',
      REMOTE_ADDR: '10.0.0.1',
      REMOTE_PORT: '5555',
      LOCAL_ADDR: '127.0.0.1',
      LOCAL_PORT: '8000',
      HTTP_HOST: 'example.com:81',
      'tsgi.version': [1, 0],
      'tsgi.url_scheme': 'http',
      'tsgi.multithread': false,
      'tsgi.multiprocess': true,
      'tsgi.run_once': false,
      'tsgi.input_terminated': true,
    })
    expect(env['tsgi.signal']).toBeInstanceOf(AbortSignal)
  })

  it.each([
    ['HTTP/1.0', 'HTTP/1.0'],
    ['HTTP/1.1', 'HTTP/1.1'],
    // Served as HTTP/1.1 (RFC 9110 §2.5), but SERVER_PROTOCOL is the request's version (RFC 3875 §4.1.16).
    ['HTTP/1.2', 'HTTP/1.2'],
    ['HTTP/1.9', 'HTTP/1.9'],
  ])('gives SERVER_PROTOCOL as the request line says it: %s', (version, protocol) => {
    expect(environOf(`GET / ${version}\r\nHost: a\r\n\r\n`).SERVER_PROTOCOL).toBe(protocol)
  })

  it('lets middleware replace tsgi.signal', () => {
    const env = environOf('GET / HTTP/1.0\r\n\r\n')
    const own = new AbortController().signal
    env['tsgi.signal'] = own
    expect(env['tsgi.signal']).toBe(own)
    expect({ ...env }['tsgi.signal']).toBe(own)
  })

  it('joins repeated fields with ", " and cookies with "; "', () => {
    const env = environOf(
      'GET / HTTP/1.1\r\nHost: a\r\nAccept: x\r\nCookie: a=1\r\naccept: y\r\nCOOKIE: b=2\r\n\r\n',
    )
    expect(env.HTTP_ACCEPT).toBe('x, y')
    expect(env.HTTP_COOKIE).toBe('a=1; b=2')
  })

  it('maps Content-Type/Length to CGI keys only, and drops names with "_"', () => {
    const env = environOf(
      'POST / HTTP/1.1\r\nHost: a\r\nContent-Type: text/plain\r\nContent-Length: 0\r\nX_Forwarded_For: evil\r\nX-Forwarded-For: 1.1.1.1\r\n\r\n',
    )
    expect(env.CONTENT_TYPE).toBe('text/plain')
    expect(env.CONTENT_LENGTH).toBe('0')
    expect(env).not.toHaveProperty('HTTP_CONTENT_TYPE')
    expect(env).not.toHaveProperty('HTTP_CONTENT_LENGTH')
    expect(env.HTTP_X_FORWARDED_FOR).toBe('1.1.1.1')
  })

  it('leaves CONTENT_* out when the request has none', () => {
    const env = environOf('GET / HTTP/1.0\r\n\r\n')
    expect(env).not.toHaveProperty('CONTENT_TYPE')
    expect(env).not.toHaveProperty('CONTENT_LENGTH')
    expect(env.SERVER_NAME).toBe('127.0.0.1')
    expect(env.SERVER_PORT).toBe('8000')
  })

  it('takes the host from an absolute-form target over the Host field (RFC 9112 §3.2.2)', () => {
    const env = environOf('GET https://u:p@example.org/p?q HTTP/1.1\r\nHost: other\r\n\r\n')
    expect(env).toMatchObject({ HTTP_HOST: 'example.org', SERVER_NAME: 'example.org', SERVER_PORT: '443' })
    expect(env).toMatchObject({ PATH_INFO: '/p', QUERY_STRING: 'q', RAW_URI: 'https://u:p@example.org/p?q' })
  })

  it('splits an IPvFuture Host, whose literal may hold colons', () => {
    expect(environOf('GET / HTTP/1.1\r\nHost: [v1.fe:x]:9\r\n\r\n')).toMatchObject({
      SERVER_NAME: '[v1.fe:x]',
      SERVER_PORT: '9',
    })
  })

  it('gives OPTIONS * the PATH_INFO "*"', () => {
    expect(environOf('OPTIONS * HTTP/1.1\r\nHost: a\r\n\r\n')).toMatchObject({ PATH_INFO: '*', RAW_URI: '*' })
  })

  it('splits an IPv6 Host', () => {
    expect(environOf('GET / HTTP/1.1\r\nHost: [::1]:9\r\n\r\n')).toMatchObject({
      SERVER_NAME: '[::1]',
      SERVER_PORT: '9',
    })
  })

  it('decodes escapes as latin-1 bytes and leaves malformed ones', () => {
    expect(decodePath('/%41%ff%zz%4')).toBe('/A\u00ff%zz%4')
  })
})

describe('environKey', () => {
  // Common names have a shortcut; every spelling of them, and every other name, must get the
  // key the general rule gives.
  const general = (name: string): string | null => {
    const upper = name.toUpperCase()
    if (upper.includes('_')) return null
    if (upper === 'CONTENT-TYPE' || upper === 'CONTENT-LENGTH') return upper.replace('-', '_')
    return `HTTP_${upper.replaceAll('-', '_')}`
  }
  const names = [
    'Host',
    'Accept',
    'Cookie',
    'User-Agent',
    'Connection',
    'Content-Type',
    'Content-Length',
    'X-Id',
    'X_Id',
  ]
  it('maps every spelling of common and other names by the general rule', () => {
    for (const name of names) {
      for (const spelled of [
        name,
        name.toLowerCase(),
        name.toUpperCase(),
        name.replace(/./g, (c, i) => (i % 2 ? c.toUpperCase() : c.toLowerCase())),
      ]) {
        expect(environKey(spelled), spelled).toBe(general(spelled))
      }
    }
  })
})
