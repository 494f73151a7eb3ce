import { describe, expect, it } from 'vitest'
import { createEnviron } from './create-environ.ts'
import { createErrorBuffer } from './error-stream.ts'
import type { App } from './types.ts'
import { validate } from './validate/validate.ts'

const text = (bytes: Uint8Array): string => new TextDecoder().decode(bytes)

describe('createEnviron', () => {
  it('defaults to a GET / on http://127.0.0.1/ that validate() accepts', async () => {
    const environ = createEnviron()
    expect(environ).toMatchObject({
      REQUEST_METHOD: 'GET',
      SCRIPT_NAME: '',
      PATH_INFO: '/',
      QUERY_STRING: '',
      SERVER_NAME: '127.0.0.1',
      SERVER_PORT: '80',
      SERVER_PROTOCOL: 'HTTP/1.1',
      HTTP_HOST: '127.0.0.1',
      'tsgi.version': [1, 0],
      'tsgi.url_scheme': 'http',
      'tsgi.multithread': false,
      'tsgi.multiprocess': false,
      'tsgi.run_once': false,
    })
    expect(environ).not.toHaveProperty('CONTENT_LENGTH')
    expect(environ['tsgi.signal']?.aborted).toBe(false)
    const app: App = (_e, start) => {
      start('204 No Content', [])
      return []
    }
    expect(() => validate(app)(environ, () => async () => {})).not.toThrow()
  })

  it('keeps given keys and derives the rest from them', () => {
    expect(createEnviron({ SERVER_NAME: 'example.com' }).HTTP_HOST).toBe('example.com')
    expect(createEnviron({ HTTPS: 'on' })).toMatchObject({ 'tsgi.url_scheme': 'https', SERVER_PORT: '443' })
    expect(createEnviron({ 'tsgi.url_scheme': 'https' }).SERVER_PORT).toBe('443')
    expect(createEnviron({ SCRIPT_NAME: '/app' })).toMatchObject({ SCRIPT_NAME: '/app', PATH_INFO: '' })
    expect(createEnviron({ PATH_INFO: '/x' })).toMatchObject({ SCRIPT_NAME: '', PATH_INFO: '/x' })
  })

  it('removes a default given as undefined', () => {
    expect(createEnviron({ HTTP_HOST: undefined })).not.toHaveProperty('HTTP_HOST')
  })

  it('reads a text body as UTF-8 and sets CONTENT_LENGTH in bytes', async () => {
    const environ = createEnviron({ REQUEST_METHOD: 'POST', body: 'héllo' })
    expect(environ.CONTENT_LENGTH).toBe('6')
    expect(text(await environ['tsgi.input'].read())).toBe('héllo')
  })

  it('streams a chunked body with tsgi.input_terminated and no CONTENT_LENGTH', async () => {
    async function* chunks(): AsyncGenerator<Uint8Array> {
      yield new Uint8Array([104, 105])
      yield new Uint8Array([33])
    }
    const environ = createEnviron({ body: chunks() })
    expect(environ['tsgi.input_terminated']).toBe(true)
    expect(environ).not.toHaveProperty('CONTENT_LENGTH')
    expect(text(await environ['tsgi.input'].read())).toBe('hi!')
  })

  it('collects tsgi.errors in a buffer, or writes to stderr when asked', () => {
    const errors = createErrorBuffer()
    createEnviron({ 'tsgi.errors': errors })['tsgi.errors'].writelines(['a\n', 'b\n'])
    expect(errors.text()).toBe('a\nb\n')
    expect(typeof createEnviron({ errors: 'stderr' })['tsgi.errors'].write).toBe('function')
  })
})
