import type { Scenario } from '../types.ts'
import { expectAll, jsonBody, oneRequest } from './define.ts'

/** Hono builds a WHATWG `URL`, which resolves `..` and `%2e%2e` (URL Standard §4.4) on every host. */
const resolvesDotSegments = (framework: string): boolean => framework === 'hono'

const path = (name: string, target: string, dotSegments = false) =>
  oneRequest(`path: ${name}`, { target }, (response, { framework }) => {
    if (dotSegments && resolvesDotSegments(framework)) return undefined
    const echo = jsonBody(response)
    const seen = String(echo?.originalUrl ?? echo?.url ?? echo?.rawUri ?? '')
    return expectAll(
      [response.status === 200, `expected 200, got ${response.status}`],
      // DESIGN: the path is never normalised before the app sees it (its own guards must see `..`).
      [seen.endsWith(target), `the app saw ${seen}, sent ${target}`],
    )
  })

/** Unicode and reserved characters in paths survive to the app exactly as sent. */
export const pathScenarios: Scenario[] = [
  path('UTF-8 percent-encoded', '/p/caf%C3%A9'),
  path('encoded slash %2F', '/p/a%2Fb'),
  path('encoded dot segments %2e%2e', '/p/%2e%2e/x', true),
  path('raw dot segments', '/p/a/../b', true),
  path('literal %25', '/p/100%25'),
  path('space and ;params', '/p/sp%20ace;v=1'),
  path('double slashes', '/p//double//slash'),
  path('sub-delims and colon', "/p/a:b@c!$&'()*+,="),
  // A `\` is a `/` to the URL parser, so `@hono/node-server` refuses it in the path (400) where
  // node:http passes it on as sent; each framework must meet its own host's answer through tsgi.
  oneRequest('path: a backslash', { target: '/p/a\\b' }, (response, { framework }) => {
    if (framework === 'hono')
      return expectAll([response.status === 400, `expected 400, got ${response.status}`])
    const echo = jsonBody(response)
    const seen = String(echo?.originalUrl ?? echo?.url ?? echo?.rawUri ?? '')
    return expectAll(
      [response.status === 200, `expected 200, got ${response.status}`],
      [seen.endsWith('/p/a\\b'), `the app saw ${seen}, sent /p/a\\b`],
    )
  }),
  // Not routed anywhere: the framework's own 404 page, which quotes the path.
  oneRequest('path: UTF-8 on an unrouted path', { target: '/caf%C3%A9' }, (response) =>
    expectAll([response.status === 404, `expected 404, got ${response.status}`]),
  ),
]
