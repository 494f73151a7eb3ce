import { beforeAll, describe, expect, it } from 'vitest'
import { FRAMEWORKS } from '../src/frameworks.ts'
import type { Cell } from '../src/run-framework.ts'
import { runFramework, TRANSPORTS } from '../src/run-framework.ts'
import { SCENARIOS } from '../src/scenario-list.ts'

/** What a failing cell prints: the broken check and every unexcused field, native value first. */
function explain(cell: Cell): string {
  const fields = cell.differences
    .filter((difference) => !difference.allowedBy && difference.field !== 'check')
    .map((d) => `${d.field}: native ${d.native ?? '(absent)'}, ${cell.way} ${d.got ?? '(absent)'}`)
  return [cell.checkFailure && `check: ${cell.checkFailure}`, ...fields].filter(Boolean).join('\n')
}

it('has at least 40 scenarios with unique names', () => {
  const names = SCENARIOS.map((scenario) => scenario.name)
  expect(names.length).toBeGreaterThanOrEqual(40)
  expect(new Set(names).size).toBe(names.length)
})

// One suite, every framework: each cell is a test, so a failure names scenario, framework and way.
describe.each(FRAMEWORKS.map((framework) => [framework.name, framework] as const))(
  '%s',
  (_name, framework) => {
    let cells: Cell[] = []
    beforeAll(async () => {
      cells = await runFramework(framework, SCENARIOS, { isolate: true })
    }, 60_000)

    // Wire scenarios have no memory cell (n/a): a test there could not fail, so there is none.
    const rows = SCENARIOS.flatMap((scenario) =>
      TRANSPORTS.filter((transport) => !(scenario.wire && transport.name === 'memory')).map((transport) => [
        scenario.name,
        transport.name,
      ]),
    )
    it.each(rows)('%s (%s)', (scenario, way) => {
      const cell = cells.find((candidate) => candidate.scenario === scenario && candidate.way === way)
      expect(cell, 'the cell was never run').toBeDefined()
      expect(cell!.verdict === 'fail' ? explain(cell!) : '').toBe('')
    })
  },
)
