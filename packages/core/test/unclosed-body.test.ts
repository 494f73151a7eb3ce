import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { expect, it } from 'vitest'
import { type App, type Body, createEnviron, createErrorBuffer, validate } from '../src/index.ts'

// body.close-called is checked when the body is garbage-collected unclosed (as wsgiref does from
// __del__), so this test forces collections.
setFlagsFromString('--expose-gc')
const gc = runInNewContext('gc') as () => void

const closable: App = (_environ, startResponse) => {
  startResponse('200 OK', [])
  return Object.assign([new Uint8Array([1])], { close() {} })
}

/** Runs one request whose body is handled by `finish`, then lets the body be collected. */
async function serveAndForget(
  finish: (body: Body) => Promise<void>,
  mode: 'throw' | 'report',
): Promise<string> {
  const errors = createErrorBuffer()
  await (async () => {
    const environ = createEnviron({ 'tsgi.errors': errors, PATH_INFO: '/leak' })
    const body = await validate(closable, { onViolation: mode })(environ, () => async () => {})
    for await (const _ of body);
    await finish(body)
  })()
  for (let round = 0; round < 10 && errors.text() === ''; round++) {
    gc()
    await new Promise((resolve) => setTimeout(resolve, 0))
  }
  return errors.text()
}

it('reports a body the server never closed (body.close-called), even in throw mode', async () => {
  const report = await serveAndForget(async () => {}, 'throw')
  expect(report).toMatch(/^tsgi validate: server broke body\.close-called: .*GET \/leak/)
})

it('says nothing when the server closed the body', async () => {
  const report = await serveAndForget(async (body) => body.close?.(), 'report')
  expect(report).toBe('')
})

it('closing passes through to the app body', async () => {
  let closed = 0
  const app: App = (_e, start) => {
    start('200 OK', [])
    return Object.assign([], {
      close: () => {
        closed++
      },
    })
  }
  const body = await validate(app)(createEnviron(), () => async () => {})
  await body.close?.()
  expect(closed).toBe(1)
})
