import { describe, expect, it } from 'vitest'
import { TsgiSpecError } from '../src/index.ts'
import { RULES } from '../src/validate/rules.ts'
import { bodyCases } from './rule-cases/body-cases.ts'
import { makeCtx } from './rule-cases/context.ts'
import { environCases } from './rule-cases/environ-cases.ts'
import { responseCases } from './rule-cases/response-cases.ts'
import { streamCases } from './rule-cases/stream-cases.ts'

const cases = [...environCases, ...streamCases, ...responseCases, ...bodyCases]
// Tested in unclosed-body.test.ts: the check runs when the body is garbage-collected.
const elsewhere = ['body.close-called']

it('has a bad and a good case for every rule', () => {
  expect([...cases.map((c) => c.rule), ...elsewhere].sort()).toEqual(Object.keys(RULES).sort())
})

describe.each(cases)('$rule', ({ rule, bad, good }) => {
  it('throws TsgiSpecError naming the rule when broken', async () => {
    const error = await bad(makeCtx('throw')).then(
      () => undefined,
      (caught: unknown) => caught,
    )
    expect(error).toBeInstanceOf(TsgiSpecError)
    expect(error).toMatchObject({ code: 'TSGI_SPEC_VIOLATION', rule })
  })

  it('passes the conforming case', async () => {
    const ctx = makeCtx('throw')
    await expect(good(ctx)).resolves.toBeDefined()
    expect(ctx.errors.text()).not.toContain('tsgi validate')
  })
})

// A case without a usable tsgi.errors reports to stderr instead: report-mode.test.ts covers it.
describe.each(cases.filter((c) => !c.reportsToStderr))('$rule', ({ rule, bad }) => {
  it('in report mode writes one line naming the rule instead', async () => {
    const ctx = makeCtx('report')
    await bad(ctx).catch((error: unknown) => {
      // The server or app may still fail on its own; validate itself must not throw.
      if (error instanceof TsgiSpecError && error.message.startsWith('tsgi validate')) throw error
    })
    const lines = ctx.errors
      .text()
      .split('\n')
      .filter((line) => line.includes(`broke ${rule}:`))
    expect(lines).toHaveLength(1)
  })
})
