import { afterEach, expect, it, vi } from 'vitest'
import {
  type App,
  createEnviron,
  createErrorBuffer,
  type InjectRequest,
  inject,
  validate,
} from '../src/index.ts'
import { encode, respond } from './rule-cases/context.ts'

afterEach(() => {
  vi.restoreAllMocks()
})

const badApps: Array<[string, App, InjectRequest]> = [
  ['hop-by-hop header', respond('200 OK', [['Keep-Alive', 'timeout=5']], [encode('x')]), {}],
  ['short body', respond('200 OK', [['Content-Length', '9']], [encode('abc')]), {}],
  ['HEAD with a body', respond('200 OK', [], [encode('abc')]), { method: 'HEAD' }],
  ['bad header value', respond('200 OK', [['X-A', 'a\u0000b']], [encode('abc')]), {}],
  [
    'write during iteration',
    (_e, s) => {
      const write = s('201 Created', [
        ['Set-Cookie', 'a=1'],
        ['Set-Cookie', 'b=2'],
      ])
      return (async function* () {
        yield encode('a')
        await write(encode('b'))
        yield encode('c')
      })()
    },
    {},
  ],
]

it.each(badApps)('report mode leaves the response untouched: %s', async (_name, app, request) => {
  const errors = createErrorBuffer()
  const plain = await inject(app, request)
  const checked = await inject(validate(app, { onViolation: 'report' }), {
    ...request,
    environ: { 'tsgi.errors': errors },
  })
  expect({ ...checked, text: undefined }).toEqual({ ...plain, text: undefined })
  expect(errors.text()).toMatch(/^tsgi validate: app broke [a-z-]+\.[a-z-]+: .+\n$/)
})

it('keeps the body shape: an array stays an array of the same length', async () => {
  const app = respond('200 OK', [], [encode('a'), encode('b')])
  const body = await validate(app, { onViolation: 'report' })(createEnviron(), () => async () => {})
  expect(Array.isArray(body)).toBe(true)
  expect((body as Uint8Array[]).length).toBe(2)
})

it('writes one line per rule per request, however often it is broken', async () => {
  const errors = createErrorBuffer()
  const app = respond('200 OK', [['Content-Length', '1']], [encode('a'), encode('b'), encode('c')])
  await inject(validate(app, { onViolation: 'report' }), { environ: { 'tsgi.errors': errors } })
  expect(errors.text().trimEnd().split('\n')).toEqual([
    'tsgi validate: app broke body.content-length: Content-Length is 1 but the body sent 2 bytes so far',
  ])
})

it('falls back to stderr when the environ has no usable tsgi.errors', async () => {
  const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true)
  const app = respond('200 OK', [])
  await inject(validate(app, { onViolation: 'report' }), { environ: { 'tsgi.errors': {} as never } })
  expect(stderr).toHaveBeenCalledWith(expect.stringMatching(/^tsgi validate: server broke environ\.errors: /))
})

it('throw mode is the default and names the rule in the message', async () => {
  const app = respond('200 OK', [])
  await expect(inject(validate(app), { environ: { PATH_INFO: 'foo' } })).rejects.toThrow(
    `environ.PATH_INFO must be empty or start with '/', got "foo"`,
  )
})
