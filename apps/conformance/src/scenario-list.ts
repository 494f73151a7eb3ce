import {
  abortScenarios,
  bodyScenarios,
  errorScenarios,
  formScenarios,
  headerScenarios,
  methodScenarios,
  pathScenarios,
  queryScenarios,
  responseScenarios,
  streamingScenarios,
  wireScenarios,
} from './scenarios/index.ts'
import type { Scenario } from './types.ts'

/** Every scenario, in matrix row order. */
export const SCENARIOS: readonly Scenario[] = [
  ...methodScenarios,
  ...queryScenarios,
  ...pathScenarios,
  ...headerScenarios,
  ...formScenarios,
  ...bodyScenarios,
  ...streamingScenarios,
  ...responseScenarios,
  ...errorScenarios,
  ...wireScenarios,
  ...abortScenarios,
]
