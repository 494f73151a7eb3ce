import { ALLOW_LIST, type AllowEntry } from '../allow-list.ts'
import { allowedBy } from './allow.ts'
import { type Difference, diffObservations } from './diff.ts'
import type { Framework } from './frameworks.ts'
import { type Observations, observeInChild } from './observe-in-child.ts'
import { memoryTransport } from './transports/memory.ts'
import { nativeTransport } from './transports/native.ts'
import type { Session, Transport } from './transports/transport.ts'
import { tsgiTransport } from './transports/tsgi.ts'
import type { Observation, Scenario, WayName } from './types.ts'

/** Long enough for the 8 MiB upload on a busy machine; a hung host fails instead of stalling CI. */
const SCENARIO_TIMEOUT_MS = 10_000

/** The ways, in matrix order; `native` is the reference the others are diffed against. */
export const TRANSPORTS: readonly Transport[] = [memoryTransport, tsgiTransport, nativeTransport]

/** A difference together with the allow-list entry that excuses it, if one does. */
export interface JudgedDifference extends Difference {
  allowedBy?: AllowEntry
}

/** One cell of the matrix: a scenario, run on a framework, one way. */
export interface Cell {
  scenario: string
  framework: string
  way: WayName
  verdict: 'pass' | 'allowed' | 'fail' | 'n/a'
  observation?: Observation
  differences: JudgedDifference[]
  /** The scenario's own expectation, when it was not met. */
  checkFailure?: string
}

/**
 * Runs every scenario on one framework in every way and judges each cell against native.
 * With `isolate`, each way runs in its own process (the framework must be in `FRAMEWORKS`).
 */
export async function runFramework(
  framework: Framework,
  scenarios: readonly Scenario[],
  options: { isolate?: boolean } = {},
): Promise<Cell[]> {
  const observed = new Map<WayName, Observations>()
  if (options.isolate) {
    // Separate processes, separate apps, separate ports: the three ways can run side by side.
    const all = await Promise.all(TRANSPORTS.map((t) => observeInChild(framework.name, t.name, scenarios)))
    for (const [index, transport] of TRANSPORTS.entries()) observed.set(transport.name, all[index]!)
  } else {
    for (const transport of TRANSPORTS) {
      observed.set(transport.name, await observeAll(transport, framework, scenarios))
    }
  }
  const cells: Cell[] = []
  for (const scenario of scenarios) {
    const native = observed.get('native')!.get(scenario.name)
    for (const transport of TRANSPORTS) {
      const way = transport.name
      const observation = observed.get(way)!.get(scenario.name)
      cells.push(judge({ scenario, framework: framework.name, way, observation, native }))
    }
  }
  return cells
}

/** Starts `framework` one way and runs every scenario on it, in this process, reporting each. */
export async function observeAll(
  transport: Transport,
  framework: Framework,
  scenarios: readonly Scenario[],
  onObserved?: (scenario: string, observation: Observation | undefined) => void,
): Promise<Observations> {
  const results: Observations = new Map()
  const record = (scenario: string, observation: Observation | undefined): void => {
    results.set(scenario, observation)
    onObserved?.(scenario, observation)
  }
  let session: Session
  try {
    session = await transport.start(framework)
  } catch (error) {
    for (const scenario of scenarios) record(scenario.name, { error: `could not start: ${message(error)}` })
    return results
  }
  // Not applicable first: if this process dies midway, the n/a cells are still n/a.
  const runnable = scenarios.filter((scenario) => !scenario.wire || session.connect)
  for (const scenario of scenarios) if (!runnable.includes(scenario)) record(scenario.name, undefined)
  try {
    for (const scenario of runnable) {
      const context = {
        framework: framework.name,
        way: transport.name,
        request: session.request,
        connect: session.connect,
      }
      const started = performance.now()
      const observation = await withTimeout(scenario.run(context)).catch((error) => ({
        error: message(error),
      }))
      record(scenario.name, observation)
      trace(
        `${framework.name} ${transport.name} ${scenario.name}: ${Math.round(performance.now() - started)} ms`,
      )
    }
  } finally {
    await withTimeout(session.close()).catch(() => undefined)
  }
  return results
}

function judge(input: {
  scenario: Scenario
  framework: string
  way: WayName
  observation: Observation | undefined
  native: Observation | undefined
}): Cell {
  const { scenario, framework, way, observation, native } = input
  const cell: Cell = { scenario: scenario.name, framework, way, verdict: 'n/a', differences: [] }
  if (observation === undefined) return cell
  cell.observation = observation
  cell.checkFailure = runCheck(scenario, observation, { framework, way })
  // Native is the reference, so it has no diff; only its own check can fail (and, where the native
  // host is the tsgi server itself, be excused like any other `check`).
  const differences =
    native === undefined || way === 'native' ? [] : diffObservations(native, observation, way)
  // A failed check is one more difference, named `check`: only an allow-list entry that says so
  // excuses it, never one written for some other field.
  if (cell.checkFailure !== undefined)
    differences.push({ field: 'check', native: undefined, got: cell.checkFailure })
  cell.differences = differences.map((difference) => ({
    ...difference,
    allowedBy: allowedBy(ALLOW_LIST, { scenario: scenario.name, framework, way }, difference),
  }))
  const unexcused = cell.differences.some((difference) => !difference.allowedBy)
  cell.verdict = unexcused ? 'fail' : cell.differences.length > 0 ? 'allowed' : 'pass'
  return cell
}

function runCheck(
  scenario: Scenario,
  observation: Observation,
  context: Pick<Cell, 'framework' | 'way'>,
): string | undefined {
  if (observation.error !== undefined) return `error: ${String(observation.error)}`
  try {
    return scenario.check?.(observation, context)
  } catch (error) {
    return `the check threw: ${message(error)}`
  }
}

/** `CONFORMANCE_TRACE=1` logs each scenario's duration to stderr, to find a slow or hung one. */
function trace(line: string): void {
  if (process.env.CONFORMANCE_TRACE) process.stderr.write(`${line}\n`)
}

function withTimeout<T>(promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`timed out after ${SCENARIO_TIMEOUT_MS} ms`)),
      SCENARIO_TIMEOUT_MS,
    )
  })
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer))
}

function message(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error)
}
