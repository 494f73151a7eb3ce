import type { Scenario } from '../types.ts'
import { expectAll, jsonBody, oneRequest } from './define.ts'

const query = (name: string, target: string) =>
  oneRequest(`query: ${name}`, { target }, (response) => {
    const echo = jsonBody(response)
    const url = String(echo?.url ?? '')
    return expectAll(
      [response.status === 200, `expected 200, got ${response.status}`],
      // Hono reports the absolute URL; everyone else the request-target.
      [url.endsWith(target), `the app saw url ${url}, sent ${target}`],
    )
  })

/** Query strings reach the app byte for byte, and the framework parses them the same way. */
export const queryScenarios: Scenario[] = [
  query('repeated keys', '/echo?a=1&b=2&a=3'),
  query('UTF-8, plus and %20', '/echo?q=caf%C3%A9&plus=a+b&space=a%20b'),
  query('encoded reserved characters', '/echo?next=%2Fhome%3Fx%3D1%26y%3D2&hash=%23frag'),
  query('empty after ?', '/echo?'),
  query('flag without value', '/echo?flag&empty='),
]
