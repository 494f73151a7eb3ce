// Edges of validate() found by auditing it against SPEC.md: each violation is a TsgiSpecError
// naming its rule (never a bare TypeError from the checker), and frozen or unusual but valid
// objects pass untouched.
import { describe, expect, it } from 'vitest'
import {
  type App,
  createEnviron,
  createErrorBuffer,
  createInputStream,
  type StartResponse,
  validate,
} from '../src/index.ts'
import { encode, hello, respond } from './rule-cases/context.ts'
import { serveOnce } from './serve-once.ts'

const rule = (name: string) => expect.objectContaining({ code: 'TSGI_SPEC_VIOLATION', rule: name })
const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (error: unknown) => error,
  )

describe('the environ', () => {
  it('counts a required key set to undefined as missing', async () => {
    for (const key of ['tsgi.input', 'tsgi.version', 'tsgi.url_scheme', 'tsgi.multithread', 'SERVER_NAME']) {
      const environ = { ...createEnviron(), [key]: undefined }
      expect(await failure(serveOnce(validate(hello), environ)), key).toEqual(rule('environ.required-keys'))
    }
  })

  it('refuses an optional key set to undefined: it is left out when it does not apply', async () => {
    for (const key of ['CONTENT_TYPE', 'tsgi.signal', 'tsgi.early_hints']) {
      const environ = { ...createEnviron(), [key]: undefined }
      expect(await failure(serveOnce(validate(hello), environ)), key).toEqual(rule('environ.required-keys'))
    }
    await expect(serveOnce(validate(hello), createEnviron())).resolves.toBeDefined()
  })
})

describe('frozen objects pass through the checking proxies', () => {
  it('a frozen body, a frozen generator object and close() made by defineProperty', async () => {
    const frozenArray = Object.freeze(Object.assign([encode('a'), encode('b')], { close() {} }))
    const frozenIterable = Object.freeze({
      async *[Symbol.asyncIterator]() {
        yield encode('c')
      },
    })
    let closed = 0
    const defined = Object.defineProperty([encode('d')], 'close', { value: () => closed++ })
    for (const [body, expected] of [
      [frozenArray, 'ab'],
      [frozenIterable, 'c'],
      [defined, 'd'],
    ] as const) {
      const sent = await serveOnce(validate(respond('200 OK', [], body as never)), createEnviron())
      expect(Buffer.concat(sent).toString()).toBe(expected)
    }
    expect(closed).toBe(1)
  })

  it('a frozen array body with close() stays an array, and reads like the original', () => {
    const original = Object.freeze(Object.assign([encode('a')], { close() {}, tag: 'x' }))
    const body = validate(respond('200 OK', [], original as never))(createEnviron(), () => async () => {})
    expect(Array.isArray(body)).toBe(true)
    expect(Object.keys(body)).toEqual(Object.keys(original))
    expect((body as unknown as { tag: string }).tag).toBe('x')
    const loose = Object.assign({ *[Symbol.iterator]() {} }, {})
    Object.defineProperty(loose, 'close', { value: () => {} })
    const wrapped = validate(respond('200 OK', [], loose as never))(createEnviron(), () => async () => {})
    ;(wrapped as unknown as { note: string }).note = 'set through the proxy'
    expect((wrapped as unknown as { note: string }).note).toBe('set through the proxy')
    expect(Object.keys(wrapped)).toEqual(['note'])
  })

  it('frozen tsgi.input and tsgi.errors are still checked', async () => {
    const errors = createErrorBuffer()
    const input = Object.freeze(createInputStream(encode('body')))
    const app: App = async (environ, startResponse) => {
      environ['tsgi.errors'].write('note\n')
      const bytes = await environ['tsgi.input'].read()
      startResponse('200 OK', [])
      return [bytes]
    }
    const environ = createEnviron({ 'tsgi.input': input, 'tsgi.errors': Object.freeze(errors) })
    const sent = await serveOnce(validate(app), environ)
    expect(Buffer.concat(sent).toString()).toBe('body')
    expect(errors.text()).toBe('note\n')
    const writesNumber: App = (environ, startResponse) => {
      environ['tsgi.errors'].write(5 as never)
      return hello(environ, startResponse)
    }
    const frozen = createEnviron({ 'tsgi.errors': Object.freeze(createErrorBuffer()) })
    expect(await failure(serveOnce(validate(writesNumber), frozen))).toEqual(rule('errors.write-string'))
  })
})

describe('the body and its close()', () => {
  it('flags a second close() by the server', async () => {
    const app = respond('200 OK', [], Object.assign([encode('a')], { close() {} }))
    const twice = serveOnce(validate(app), createEnviron(), {
      consume: async (body) => {
        for await (const _ of body);
        await body.close?.()
        await body.close?.()
      },
    })
    expect(await failure(twice)).toEqual(rule('body.close-called'))
  })

  it('names body.type for an iterator without next() or with a result that is not an object', async () => {
    const noNext = { [Symbol.iterator]: () => ({}) }
    expect(
      await failure(serveOnce(validate(respond('200 OK', [], noNext as never)), createEnviron())),
    ).toEqual(rule('body.type'))
    const badStep = { [Symbol.iterator]: () => ({ next: () => 5 }) }
    expect(
      await failure(serveOnce(validate(respond('200 OK', [], badStep as never)), createEnviron())),
    ).toEqual(rule('body.type'))
  })

  it("the server's iterator is itself iterable, and a thenable step is read as a promise", async () => {
    const chunks = [encode('x'), encode('y')]
    const thenables = {
      [Symbol.asyncIterator]: () => ({
        next: () => {
          const step =
            chunks.length > 0 ? { done: false, value: chunks.shift() } : { done: true, value: undefined }
          // A promise from another realm looks like this: a then, but not this realm's Promise.
          // biome-ignore lint/suspicious/noThenProperty: a thenable is exactly what is tested
          return { then: (resolve: (value: unknown) => void) => resolve(step) }
        },
      }),
    }
    const received: Uint8Array[] = []
    await serveOnce(validate(respond('200 OK', [], thenables as never)), createEnviron(), {
      consume: async (body) => {
        const iterator = (body as AsyncIterable<Uint8Array>)[Symbol.asyncIterator]()
        for await (const chunk of iterator as unknown as AsyncIterable<Uint8Array>) received.push(chunk)
      },
    })
    expect(Buffer.concat(received).toString()).toBe('xy')
  })
})

describe('the streams', () => {
  it('names input.bytes when read() does not return a promise', async () => {
    const bound = createInputStream(encode('x'))
    const stream = {
      read: () => encode('x'),
      readline: bound.readline.bind(bound),
      [Symbol.asyncIterator]: bound[Symbol.asyncIterator].bind(bound),
    }
    const app: App = async (environ, startResponse) => {
      await environ['tsgi.input'].read()
      return hello(environ, startResponse)
    }
    const environ = createEnviron({ 'tsgi.input': stream as never })
    expect(await failure(serveOnce(validate(app), environ))).toEqual(rule('input.bytes'))
  })

  it('names errors.write-string when writelines() gets something not iterable', async () => {
    const app: App = (environ, startResponse) => {
      environ['tsgi.errors'].writelines(5 as never)
      return hello(environ, startResponse)
    }
    expect(await failure(serveOnce(validate(app), createEnviron()))).toEqual(rule('errors.write-string'))
  })

  it('names input.bytes for an empty chunk in the middle of iteration, not input.eof for the next', async () => {
    const source = [encode('a'), new Uint8Array(), encode('b')]
    const stream = createInputStream(encode(''))
    const input = {
      read: stream.read.bind(stream),
      readline: stream.readline.bind(stream),
      async *[Symbol.asyncIterator]() {
        yield* source
      },
    }
    const app: App = async (environ, startResponse) => {
      for await (const _ of environ['tsgi.input']);
      return hello(environ, startResponse)
    }
    const errors = createErrorBuffer()
    const environ = createEnviron({ 'tsgi.input': input, 'tsgi.errors': errors })
    await serveOnce(validate(app, { onViolation: 'report' }), environ)
    expect(errors.text()).toContain('input.bytes')
    expect(errors.text()).not.toContain('input.eof')
  })
})

describe('excInfo after an empty flush', () => {
  it('flags a server that returns from startResponse(excInfo) once write() flushed the head', async () => {
    const app: App = async (_e, startResponse) => {
      await startResponse('200 OK', [])(new Uint8Array(0))
      startResponse('500 Internal Server Error', [], new Error('late'))
      return []
    }
    const lenient: StartResponse = () => async () => {}
    expect(await failure(serveOnce(validate(app), createEnviron(), { startResponse: lenient }))).toEqual(
      rule('response.exc-info-rethrow'),
    )
  })
})

describe('the status', () => {
  it('stops at 599: RFC 9110 §15 makes every other code invalid on the wire', async () => {
    for (const status of ['600 Custom', '999 Reason']) {
      expect(await failure(serveOnce(validate(respond(status, [])), createEnviron())), status).toEqual(
        rule('response.status'),
      )
    }
    await expect(
      serveOnce(validate(respond('599 Network Timeout', [])), createEnviron()),
    ).resolves.toBeDefined()
  })
})
