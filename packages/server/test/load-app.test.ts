import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { loadApp, parseAppSpec } from '../src/load-app.ts'
import { tempDir } from './helpers/temp-dir.ts'

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

/** Writes `files` (path -> text) under a new temporary directory and returns it. */
function project(files: Record<string, string>): string {
  const root = tempDir('tsgi-load-')
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true })
    writeFileSync(join(root, path), text)
  }
  return root
}

// A legacy (experimentalDecorators) method decorator: it gets a descriptor. Compiled as a
// standard decorator it gets (method, context) instead, and `descriptor.value` throws.
const GREETER = `
function shout(_target: object, _key: string, descriptor: PropertyDescriptor): PropertyDescriptor {
  const original = descriptor.value as () => string
  descriptor.value = function (this: unknown) { return original.call(this).toUpperCase() }
  return descriptor
}
export class Greeter {
  @shout
  hello(): string { return 'hello' }
}
`
const GREETING_APP = (from: string): string => `
import { Greeter } from '${from}'
const greeting = new Greeter().hello()
export default (environ: unknown, startResponse: (s: string, h: [string, string][]) => unknown) => {
  startResponse('200 OK', [['x-greeting', greeting]])
  return []
}
`
const DECORATORS = JSON.stringify({ compilerOptions: { experimentalDecorators: true } })

describe('loadApp of TypeScript', () => {
  it.each([
    [
      'an ES module project',
      { 'package.json': '{"type":"module"}', 'src/greeter.ts': GREETER },
      './greeter.ts',
    ],
    ['a CommonJS project (require)', { 'package.json': '{}', 'src/greeter.ts': GREETER }, './greeter'],
  ])(
    'compiles %s with the tsconfig.json nearest the app file, not the current directory’s',
    async (_, files, from) => {
      const root = project({ ...files, 'tsconfig.json': DECORATORS, 'src/app.ts': GREETING_APP(from) })
      // The current directory (packages/server) has its own tsconfig.json, without decorators.
      const { app } = await loadApp('src/app.ts', root)
      const headers: Array<[string, string]> = []
      await app({} as never, (_status, list) => {
        headers.push(...list)
        return async () => {}
      })
      expect(headers).toEqual([['x-greeting', 'HELLO']])
      expect(process.env.TSX_TSCONFIG_PATH).toBeUndefined()
    },
  )
})

// JavaScript modules that do not parse: test/cli-syntax-error.test.ts, in a real process (vitest
// loads .js files through its own transform, which fails with errors of its own).
describe('loadApp of a TypeScript module that does not parse', () => {
  it('fails with one line naming the file, line and column, the original as its cause', async () => {
    const root = project({ 'app.ts': 'const x: number = (\nexport default x\n' })
    const error = (await loadApp('app.ts', root).catch((thrown: unknown) => thrown)) as Error
    expect(error).toBeInstanceOf(SyntaxError)
    expect(error.message).toBe('app.ts:2:1: Unexpected "export"')
    expect(error.stack).toBe('SyntaxError: app.ts:2:1: Unexpected "export"')
    expect((error.cause as Error).name).toBe('TransformError')
  })

  it('names the file by its absolute path when it is outside the current directory', async () => {
    const root = project({ 'app.ts': 'export default [\n' })
    const error = (await loadApp(join(root, 'app.ts'), fixtures).catch((thrown: unknown) => thrown)) as Error
    expect(error.message).toMatch(new RegExp(`^${join(root, 'app.ts')}:2:1: `))
  })
})
