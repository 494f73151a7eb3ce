import { describe, expect, it } from 'vitest'
import { createEnviron } from './create-environ.ts'
import { inject } from './inject.ts'
import { createInputStream } from './input-stream.ts'
import type { App } from './types.ts'
import { applicationUri, requestUri, shiftPathInfo } from './url.ts'
import { validate } from './validate/validate.ts'

const app: App = (_environ, startResponse) => {
  startResponse('204 No Content', [])
  return []
}

const refused = (message: string) => ({ name: 'TsgiArgumentError', code: 'TSGI_INVALID_ARGUMENT', message })

// A misspelt option or a value of the wrong type is refused where it is given, with one line that
// says what was expected: never ignored (the test then checks something else than it says), never a
// TypeError from deep inside.
describe('public functions refuse arguments they cannot use, with TSGI_INVALID_ARGUMENT', () => {
  it('inject()', async () => {
    await expect(inject('app' as never)).rejects.toMatchObject(
      refused('inject() app must be a gateway app (environ, startResponse) => body, got a string ("app")'),
    )
    await expect(inject(app, { path: '/x' } as never)).rejects.toMatchObject(
      refused('inject() request has no option path (it takes method, url, headers, body, environ)'),
    )
    await expect(inject(app, { method: 5 } as never)).rejects.toMatchObject(
      refused('inject() request.method must be a string, got a number (5)'),
    )
    await expect(inject(app, { headers: 'a: b' } as never)).rejects.toMatchObject(
      refused(
        'inject() request.headers must be a list of [name, value] strings or a record of strings, got a string ("a: b")',
      ),
    )
    await expect(inject(app, { headers: [['a', 1]] } as never)).rejects.toMatchObject({
      code: 'TSGI_INVALID_ARGUMENT',
    })
    await expect(inject(app, { body: 5 } as never)).rejects.toMatchObject(
      refused(
        'inject() request.body must be a string, a Uint8Array or an async iterable of them, got a number (5)',
      ),
    )
    await expect(inject(app, { environ: 'x' } as never)).rejects.toMatchObject(
      refused('inject() request.environ must be an object, got a string ("x")'),
    )
    // What it does take still works.
    expect(
      (await inject(app, { method: 'POST', url: '/', headers: { a: ['1', '2'], b: undefined }, body: 'x' }))
        .status,
    ).toBe(204)
  })

  it('createEnviron()', () => {
    expect(() => createEnviron('GET /' as never)).toThrow(
      expect.objectContaining(refused('createEnviron() init must be an object, got a string ("GET /")')),
    )
    expect(() => createEnviron({ body: 5 } as never)).toThrow(
      expect.objectContaining(
        refused(
          'createEnviron() body must be a string, a Uint8Array or an async iterable of them, got a number (5)',
        ),
      ),
    )
    expect(() => createEnviron({ errors: 'stdout' } as never)).toThrow(
      expect.objectContaining(
        refused(`createEnviron() errors must be 'buffer' or 'stderr', got a string ("stdout")`),
      ),
    )
  })

  it('validate()', () => {
    expect(() => validate(undefined as never)).toThrow(
      expect.objectContaining(
        refused('validate() app must be a gateway app (environ, startResponse) => body, got undefined'),
      ),
    )
    expect(() => validate(app, { onviolation: 'report' } as never)).toThrow(
      expect.objectContaining(refused('validate() options has no option onviolation (it takes onViolation)')),
    )
    expect(() => validate(app, { onViolation: 'log' } as never)).toThrow(
      expect.objectContaining(
        refused(`validate() onViolation must be 'throw' or 'report', got a string ("log")`),
      ),
    )
  })

  it('createInputStream() and the URL helpers', () => {
    expect(() => createInputStream('text' as never)).toThrow(
      expect.objectContaining(
        refused(
          'createInputStream() source must be a Uint8Array or an async iterable of them, got a string ("text")',
        ),
      ),
    )
    expect(() => applicationUri(null as never)).toThrow(
      expect.objectContaining(refused('applicationUri() environ must be an object, got null')),
    )
    expect(() => requestUri(undefined as never)).toThrow(
      expect.objectContaining(refused('requestUri() environ must be an object, got undefined')),
    )
    expect(() => shiftPathInfo('/a/b' as never)).toThrow(
      expect.objectContaining(refused('shiftPathInfo() environ must be an object, got a string ("/a/b")')),
    )
  })
})
