import { describe, expect, it } from 'vitest'
import { type App, createEnviron, createInputStream, inject, TsgiSpecError, validate } from '../src/index.ts'
import { encode, hello, respond } from './rule-cases/context.ts'
import { serveOnce } from './serve-once.ts'

const start = () => async () => {}

describe('validate keeps the call shape', () => {
  it('a sync app stays sync and an async app stays async', async () => {
    expect(validate(hello)(createEnviron(), start)).not.toBeInstanceOf(Promise)
    const later: App = async (environ, startResponse) => hello(environ, startResponse)
    expect(validate(later)(createEnviron(), start)).toBeInstanceOf(Promise)
  })

  it('passes the same environ object to the app, with checked streams', async () => {
    const environ = createEnviron()
    const input = environ['tsgi.input']
    let seen: unknown
    await serveOnce(
      validate((e, s) => {
        seen = e
        return hello(e, s)
      }),
      environ,
    )
    expect(seen).toBe(environ)
    expect(environ['tsgi.input']).not.toBe(input)
  })

  it('lets excInfo replace headers that were not sent', async () => {
    const app: App = (_e, startResponse) => {
      startResponse('200 OK', [['Content-Length', '2']])
      startResponse('500 Internal Server Error', [['Content-Length', '4']], new Error('boom'))
      return [encode('oops')]
    }
    const response = await inject(validate(app))
    expect([response.status, response.text()]).toEqual([500, 'oops'])
  })
})

describe('validate catches a violation where it happens', () => {
  it('stops an excess chunk before the server gets it', async () => {
    const sent: Uint8Array[] = []
    const app = respond('200 OK', [['Content-Length', '1']], [encode('a'), encode('b')])
    const error = await serveOnce(validate(app), createEnviron(), {
      consume: async (body) => {
        for await (const chunk of body) sent.push(chunk)
      },
    }).catch((caught: unknown) => caught)
    expect(error).toMatchObject({ rule: 'body.content-length' })
    expect(sent).toEqual([encode('a')])
  })

  it('counts write() bytes for HEAD and Content-Length', async () => {
    const app: App = async (_e, startResponse) => {
      await startResponse('200 OK', [])(encode('x'))
      return []
    }
    await expect(inject(validate(app), { method: 'HEAD' })).rejects.toMatchObject({ rule: 'body.head-empty' })
  })

  it('reports bytes after an empty read as input.eof', async () => {
    const answers = [new Uint8Array(), encode('late')]
    const read = async (): Promise<Uint8Array> => answers.shift() ?? new Uint8Array()
    const input = {
      read,
      readline: read,
      [Symbol.asyncIterator]: createInputStream(new Uint8Array())[Symbol.asyncIterator],
    }
    const app: App = async (environ, startResponse) => {
      await environ['tsgi.input'].read(4)
      await environ['tsgi.input'].read(4)
      startResponse('204 No Content', [])
      return []
    }
    await expect(serveOnce(validate(app), createEnviron({ 'tsgi.input': input }))).rejects.toMatchObject({
      rule: 'input.eof',
    })
  })

  it('names the side at fault in report lines', async () => {
    const lines: string[] = []
    const errors = { write: (text: string) => void lines.push(text), writelines: () => {}, flush: () => {} }
    await serveOnce(
      validate(hello, { onViolation: 'report' }),
      createEnviron({ 'tsgi.errors': errors, SERVER_PORT: 'x' }),
    )
    expect(lines).toEqual([
      `tsgi validate: server broke environ.server-port: environ.SERVER_PORT must be decimal digits, got "x"\n`,
    ])
  })

  it('throws TsgiSpecError from startResponse, so the app can still answer with excInfo', async () => {
    const app: App = (_e, startResponse) => {
      try {
        startResponse('200 OK', [['Bad Name', 'x']])
      } catch (error) {
        expect(error).toBeInstanceOf(TsgiSpecError)
        startResponse('500 Internal Server Error', [], error)
      }
      return []
    }
    await expect(inject(validate(app))).resolves.toMatchObject({ status: 500 })
  })
})

it('a validated app has the arity of a gateway app, so adapters recognise it', () => {
  expect(validate(hello).length).toBe(2)
})
