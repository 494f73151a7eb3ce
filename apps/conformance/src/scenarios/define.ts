import type { NormalizedResponse, Observation, Scenario, ScenarioContext, ScenarioRequest } from '../types.ts'

type Check = (
  response: NormalizedResponse,
  context: Pick<ScenarioContext, 'framework' | 'way'>,
) => string | undefined

/** A scenario that sends one request and observes the whole response as `{ response }`. */
export function oneRequest(name: string, request: ScenarioRequest, check?: Check): Scenario {
  return {
    name,
    run: async (context) => ({ response: await context.request(request) }),
    check:
      check &&
      ((observation, context) => {
        const response = responseOf(observation)
        return response ? check(response, context) : `no response (${String(observation.error)})`
      }),
  }
}

/** The first failed expectation's message, or `undefined` when all hold. */
export function expectAll(...expectations: Array<[boolean, string]>): string | undefined {
  return expectations.find(([holds]) => !holds)?.[1]
}

/** The body of a JSON response, or `undefined` when it is not JSON. */
export function jsonBody(response: NormalizedResponse | undefined): Record<string, unknown> | undefined {
  try {
    return JSON.parse(response?.body ?? '') as Record<string, unknown>
  } catch {
    return undefined
  }
}

/** A header's single value (the first one), or `undefined`. */
export function header(response: NormalizedResponse | undefined, name: string): string | undefined {
  return response?.headers[name]?.[0]
}

/** Observations are plain records; this reads one as a response. */
export function responseOf(observation: Observation, key = 'response'): NormalizedResponse | undefined {
  return observation[key] as NormalizedResponse | undefined
}
