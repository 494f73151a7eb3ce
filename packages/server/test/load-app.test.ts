import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { loadApp, parseAppSpec } from '../src/load-app.ts'

const fixtures = fileURLToPath(new URL('./fixtures/cli/', import.meta.url))

describe('parseAppSpec', () => {
  it.each([
    ['app.ts', { file: 'app.ts', exportName: undefined }],
    ['src/app.ts:handler', { file: 'src/app.ts', exportName: 'handler' }],
    ['src/app.ts:$app_2', { file: 'src/app.ts', exportName: '$app_2' }],
    ['dir:with:colons/app.ts', { file: 'dir:with:colons/app.ts', exportName: undefined }],
    ['dir:with/app.ts:app', { file: 'dir:with/app.ts', exportName: 'app' }],
    [':app', { file: ':app', exportName: undefined }],
  ])('splits %j', (spec, expected) => {
    expect(parseAppSpec(spec)).toEqual(expected)
  })
})

describe('loadApp', () => {
  it('reports the kind adapt() recognised and the resolved path', async () => {
    const loaded = await loadApp('hello.ts', fixtures)
    expect(loaded.kind).toBe('tsgi')
    expect(loaded.path).toBe(`${fixtures}hello.ts`)
    expect(typeof loaded.app).toBe('function')
  })

  it.each([
    ['missing.ts', 'TSGI_APP_MODULE_NOT_FOUND'],
    ['hello.ts:nope', 'TSGI_APP_EXPORT_NOT_FOUND'],
    ['not-an-app.ts', 'TSGI_NOT_AN_APP'],
    ['commonjs/package.json', 'TSGI_APP_MODULE_TYPE'],
  ])('rejects %s with %s', async (spec, code) => {
    await expect(loadApp(spec, fixtures)).rejects.toMatchObject({ code })
  })
})
