import type { Scenario } from '../types.ts'
import { expectAll, oneRequest } from './define.ts'

const is500 = (response: { status: number }) =>
  expectAll([response.status === 500, `expected 500, got ${response.status}`])

/** Errors the app throws: each framework's own error response, identical on every host. */
export const errorScenarios: Scenario[] = [
  oneRequest('error: thrown synchronously', { target: '/throw' }, is500),
  oneRequest('error: rejected promise', { target: '/reject' }, is500),
]
