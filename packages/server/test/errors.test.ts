import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { expect, it } from 'vitest'
import { UsageError } from '../src/cli/usage-error.ts'
import * as errors from '../src/errors.ts'
import { AppExportNotFoundError, AppModuleNotFoundError, AppModuleTypeError } from '../src/load-app.ts'
import { WorkerStartError } from '../src/supervisor.ts'

// ERRORS.md and src/errors.ts (plus the CLI's own errors, beside the code that throws them)
// describe the same table: every class's name, code and status.
const CLI_ERRORS = {
  UsageError,
  AppModuleNotFoundError,
  AppExportNotFoundError,
  AppModuleTypeError,
  WorkerStartError,
}
type Row = { code: string; status: number; name: string }

function documented(): Row[] {
  const text = readFileSync(join(import.meta.dirname, '..', 'ERRORS.md'), 'utf8')
  const rows: Row[] = []
  for (const m of text.matchAll(/^\|\s*`(TSGI_[A-Z_]+)`\s*\|\s*(\d{3})\s*\|\s*`(\w+)`\s*\|/gm)) {
    rows.push({ code: m[1]!, status: Number(m[2]), name: m[3]! })
  }
  return rows
}

function implemented(): Row[] {
  const rows: Row[] = []
  for (const [exported, value] of Object.entries({ ...errors, ...CLI_ERRORS })) {
    if (typeof value !== 'function' || !(value.prototype instanceof Error)) continue
    const instance = Reflect.construct(value, ['x', 'y', []]) as errors.TsgiServerError
    expect(instance).toBeInstanceOf(errors.TsgiServerError)
    rows.push({ code: instance.code, status: instance.status, name: exported })
    // The class's `name` is its export name, so stack traces name the class callers import.
    expect(instance.name).toBe(exported)
  }
  return rows
}

it('documents every error class with its code and status, and nothing else', () => {
  const byName = (a: Row, b: Row) => a.name.localeCompare(b.name)
  expect(documented().sort(byName)).toEqual(implemented().sort(byName))
})

it('gives every class its own code', () => {
  const codes = implemented().map((r) => r.code)
  expect(new Set(codes).size).toBe(codes.length)
})

it('answers protocol errors with 4xx or 5xx statuses', () => {
  for (const [name, value] of Object.entries(errors)) {
    if (typeof value === 'function' && value.prototype instanceof errors.ProtocolError) {
      const status = (Reflect.construct(value, ['x']) as errors.ProtocolError).status
      expect(status, name).toBeGreaterThanOrEqual(400)
      expect(status, name).toBeLessThan(600)
    }
  }
})
