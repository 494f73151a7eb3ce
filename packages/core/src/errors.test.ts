import { readFileSync } from 'node:fs'
import { expect, it } from 'vitest'
import * as core from './index.ts'

const documented = [
  ...readFileSync(new URL('../ERRORS.md', import.meta.url), 'utf8').matchAll(
    /^\| `(\w+)`\s*\| `([A-Z_]+)`\s*\|/gm,
  ),
].map(([, name, code]) => [name, code])

const exported = Object.entries(core)
  .filter(([, value]) => typeof value === 'function' && value.prototype instanceof Error)
  .map(([name, value]) => {
    const ErrorClass = value as new (...args: string[]) => core.TsgiError
    const instance =
      name === 'TsgiSpecError' ? new ErrorClass('some.rule', 'message') : new ErrorClass('message')
    expect(instance.name).toBe(name)
    return [name, instance.code]
  })

it('ERRORS.md lists every exported error class with its code, and nothing else', () => {
  expect(documented.length).toBeGreaterThan(0)
  expect(exported.sort()).toEqual(documented.sort())
})

it('TsgiSpecError carries the rule and is a TsgiError', () => {
  const error = new core.TsgiSpecError(
    'environ.path-info',
    "environ.PATH_INFO must be empty or start with '/'",
  )
  expect(error).toBeInstanceOf(core.TsgiError)
  expect(error).toMatchObject({
    code: 'TSGI_SPEC_VIOLATION',
    rule: 'environ.path-info',
    name: 'TsgiSpecError',
  })
})

it('TsgiError takes a code and a cause', () => {
  const cause = new Error('root')
  expect(new core.TsgiError('m', 'TSGI_X', { cause })).toMatchObject({ code: 'TSGI_X', cause })
})
