import type { Scenario } from '../types.ts'
import { expectAll, jsonBody, oneRequest } from './define.ts'

const echoed = (method: string, body = '') =>
  oneRequest(
    `method: ${method}${body ? ' with a body' : ''}`,
    {
      method,
      target: '/echo',
      headers: body ? [['Content-Type', 'text/plain']] : [],
      body: body || undefined,
    },
    (response) => {
      const echo = jsonBody(response)
      return expectAll(
        [response.status === 200, `expected 200, got ${response.status}`],
        [echo?.method === method, `the app saw method ${String(echo?.method)}`],
        [echo?.body === body, `the app read body ${JSON.stringify(echo?.body)}`],
      )
    },
  )

/** Request methods, with and without bodies (RFC 9110 §9). */
export const methodScenarios: Scenario[] = [
  echoed('GET'),
  echoed('POST', 'a posted text body'),
  echoed('PUT', '{"replace":true}'),
  echoed('PATCH', 'patched'),
  echoed('DELETE'),
  echoed('OPTIONS'),
  // RFC 9110 §9.3.8; a fetch Request cannot carry TRACE (a forbidden method), so for Hono the
  // bridge does as @hono/node-server does.
  echoed('TRACE'),
  // An extension method registered with IANA; node:http's parser knows it, so every host should.
  echoed('PROPFIND'),
  // Each framework has its own answer (Express lists the allowed methods); it must not change by host.
  oneRequest('method: OPTIONS on a GET-only route', { method: 'OPTIONS', target: '/text' }),
]
