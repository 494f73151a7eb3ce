import type { App } from '@tsgi/core'
import { describe, expect, it } from 'vitest'
import { serve } from '../src/index.ts'

const app: App = (_environ, startResponse) => {
  startResponse('204 No Content', [])
  return []
}

// A JavaScript caller, or options read from a config file, gets one clear error before anything
// listens: never a TypeError from inside, an option silently ignored, or a failure per request.
describe('serve() refuses what it cannot use, with TSGI_INVALID_OPTION', () => {
  const cases: Array<[what: string, app: unknown, options: unknown, message: string]> = [
    [
      'an app that is no function',
      'app.js',
      {},
      'serve() expects an app (environ, startResponse) => body, got "app.js"',
    ],
    ['options that are no object', app, 'fast', 'serve() options must be an object, got "fast"'],
    ['null options', app, null, 'serve() options must be an object, got null'],
    [
      'a misspelt option',
      app,
      { acessLog: () => {} },
      'unknown serve() option acessLog (did you mean accessLog?)',
    ],
    ['an unknown option', app, { colour: 'blue' }, 'unknown serve() option colour'],
    [
      'bind as a string',
      app,
      { bind: '127.0.0.1:0' },
      'serve() option bind must be an array of addresses (HOST:PORT, [IPv6]:PORT or unix:/path), got "127.0.0.1:0"',
    ],
    ['limits null', app, { limits: null }, 'serve() option limits must be an object of limits, got null'],
    [
      'a numeric serverHeader',
      app,
      { serverHeader: 1 },
      'serve() option serverHeader must be a string, or false, got number 1',
    ],
    [
      'multiprocess as text',
      app,
      { multiprocess: 'yes' },
      'serve() option multiprocess must be a boolean, got "yes"',
    ],
    [
      'accessLog true',
      app,
      { accessLog: true },
      'serve() option accessLog must be a function (entry) => void, or false, got boolean true',
    ],
    [
      'errorLog false',
      app,
      { errorLog: false },
      'serve() option errorLog must be a function (text) => void, got boolean false',
    ],
    [
      'an unknown urlScheme',
      app,
      { urlScheme: 'ftp' },
      `serve() option urlScheme must be 'http' or 'https', got "ftp"`,
    ],
    [
      'a server that is none',
      app,
      { server: {} },
      'serve() option server must be a net.Server, got an object',
    ],
  ]
  for (const [what, given, options, message] of cases) {
    it(`refuses ${what}`, async () => {
      await expect(serve(given as App, options as never)).rejects.toMatchObject({
        name: 'InvalidOptionError',
        code: 'TSGI_INVALID_OPTION',
        message,
      })
    })
  }

  it('takes accessLog: false as no access log, and undefined options as their defaults', async () => {
    const server = await serve(app, { bind: ['127.0.0.1:0'], accessLog: false, errorLog: undefined })
    try {
      expect((await fetch(server.address)).status).toBe(204)
    } finally {
      await server.close()
    }
  })
})
