import { describe, expect, it } from 'vitest'
import { type App, TsgiSpecError } from '../src/index.ts'
import { RULES } from '../src/validate/rules.ts'
import { bodyCases } from './rule-cases/body-cases.ts'
import { encode, makeCtx, respond } from './rule-cases/context.ts'
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

// headers.no-hop-by-hop has one exception: `Connection: close` alone, on a final response, asks
// the server to close the connection after it (SPEC server.connection-close).
describe('Connection: close', () => {
  it('passes alone, in any case, on a final response', async () => {
    for (const value of ['close', 'Close', ' close ']) {
      const ctx = makeCtx('throw')
      await expect(
        ctx.serve(respond('200 OK', [['Connection', value]], [encode('x')])),
      ).resolves.toBeDefined()
    }
  })

  it('is refused with another token, as keep-alive, and in early hints', async () => {
    for (const value of ['close, X-Trace', 'keep-alive']) {
      const error = await makeCtx('throw')
        .serve(respond('200 OK', [['Connection', value]], [encode('x')]))
        .catch((caught: unknown) => caught)
      expect(error).toMatchObject({ rule: 'headers.no-hop-by-hop' })
    }
    const hinted: App = async (environ, start) => {
      await environ['tsgi.early_hints']?.([['Connection', 'close']])
      start('200 OK', [])
      return []
    }
    const error = await makeCtx('throw')
      .serve(hinted, { 'tsgi.early_hints': async () => {} })
      .catch((caught: unknown) => caught)
    expect(error).toMatchObject({ rule: 'early-hints.headers' })
  })
})
