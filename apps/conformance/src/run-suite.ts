import { ALLOW_LIST, type AllowEntry } from '../allow-list.ts'
import { FRAMEWORKS } from './frameworks.ts'
import { type Cell, runFramework, TRANSPORTS } from './run-framework.ts'
import { SCENARIOS } from './scenario-list.ts'
import type { WayName } from './types.ts'

/** Everything the matrix and the test need. */
export interface SuiteResult {
  scenarios: string[]
  frameworks: string[]
  ways: WayName[]
  cells: Cell[]
  /** Allow-list entries that excused nothing in this run (candidates for removal). */
  unusedAllowEntries: AllowEntry[]
  durationMs: number
}

/** Runs the whole matrix, or the named frameworks only; each framework and way in its own process. */
export async function runSuite(only?: readonly string[]): Promise<SuiteResult> {
  const started = performance.now()
  const frameworks = FRAMEWORKS.filter((framework) => !only?.length || only.includes(framework.name))
  const cells: Cell[] = []
  // One at a time: the machine is shared, and timing-sensitive scenarios should not compete.
  for (const framework of frameworks)
    cells.push(...(await runFramework(framework, SCENARIOS, { isolate: true })))
  // Cells crossed a process boundary: entries are matched by content, not identity.
  const used = new Set(
    cells.flatMap((cell) => cell.differences.map((difference) => JSON.stringify(difference.allowedBy))),
  )
  return {
    scenarios: SCENARIOS.map((scenario) => scenario.name),
    frameworks: frameworks.map((framework) => framework.name),
    ways: TRANSPORTS.map((transport) => transport.name),
    cells,
    unusedAllowEntries: ALLOW_LIST.filter((entry) => !used.has(JSON.stringify(entry))),
    durationMs: Math.round(performance.now() - started),
  }
}
