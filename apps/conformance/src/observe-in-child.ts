import { fork } from 'node:child_process'
import { createRequire } from 'node:module'
import { pathToFileURL } from 'node:url'
import type { Observation, Scenario, WayName } from './types.ts'

/** What one way observed for each scenario (`undefined`: not applicable). */
export type Observations = Map<string, Observation | undefined>

/** One message from `observe-worker.ts`: a scenario's observation, sent as soon as it is made. */
export interface ObservedMessage {
  scenario: string
  observation: Observation | undefined
}

// tsx's loader by absolute URL, so the worker runs from vitest, tsx or any working directory.
const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href
const STDERR_TAIL = 8000

/**
 * Runs one framework one way in a fresh process (`observe-worker.ts`). An adapter or host that
 * corrupts process state (a detached Buffer pool, a patched global) then spoils only its own
 * observations, never the native reference or another framework. If the process dies, every
 * scenario it did not report says so, naming the last one it finished.
 */
export function observeInChild(
  framework: string,
  way: WayName,
  scenarios: readonly Scenario[],
): Promise<Observations> {
  return new Promise((resolve) => {
    const child = fork(new URL('./observe-worker.ts', import.meta.url), [framework, way], {
      execArgv: ['--import', TSX],
      // Structured clone keeps `undefined` (n/a) intact.
      serialization: 'advanced',
      stdio: ['ignore', 'inherit', 'pipe', 'ipc'],
    })
    const observations: Observations = new Map()
    let last = '(none)'
    let stderr = ''
    child.stderr?.on('data', (data: Buffer) => {
      stderr = (stderr + data.toString('utf8')).slice(-STDERR_TAIL)
    })
    child.on('message', (message) => {
      const { scenario, observation } = message as ObservedMessage
      observations.set(scenario, observation)
      last = scenario
    })
    child.once('exit', (code, signal) => {
      for (const scenario of scenarios) {
        if (observations.has(scenario.name)) continue
        const error = `the ${way} worker died (${signal ?? code}) after "${last}": ${lastLine(stderr)}`
        observations.set(scenario.name, { error })
      }
      resolve(observations)
    })
  })
}

/** The last `SomeError: message` line of what the child printed: the reason it died. */
function lastLine(text: string): string {
  const lines = text.split('\n').filter((line) => /^\w*Error\b/.test(line.trim()))
  return lines.at(-1)?.trim() ?? 'no error message'
}
