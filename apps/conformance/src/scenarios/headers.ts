import type { Scenario } from '../types.ts'
import { expectAll, jsonBody, oneRequest } from './define.ts'

const echoHeaders = (
  name: string,
  headers: Array<[string, string]>,
  check?: (seen: Record<string, string>) => string | undefined,
) =>
  oneRequest(`request headers: ${name}`, { target: '/echo', headers }, (response) =>
    check?.((jsonBody(response)?.headers ?? {}) as Record<string, string>),
  )

/** Request header fields as the app's framework presents them. */
export const headerScenarios: Scenario[] = [
  // RFC 9110 §5.3: repeated fields combine into one comma-separated list, in order.
  echoHeaders(
    'repeated X-Multi lines',
    [
      ['X-Multi', 'a'],
      ['X-Multi', 'b'],
    ],
    (seen) => expectAll([/^a, ?b$/.test(seen['x-multi'] ?? ''), `x-multi was ${seen['x-multi']}`]),
  ),
  // RFC 9110 §5.3: Content-Type is no list, so a second line makes the message invalid; node:http
  // keeps the first value (Express's JSON parser then reads the body), Hono's Headers join them.
  oneRequest('request headers: a repeated Content-Type', {
    method: 'POST',
    target: '/json',
    headers: [
      ['Content-Type', 'application/json'],
      ['Content-Type', 'text/plain'],
    ],
    body: '{"a":1}',
  }),
  // RFC 9110 §5.5: obs-text bytes (0x80-0xFF) are allowed in values and read as latin-1.
  echoHeaders('latin-1 byte in a value', [['X-Latin', 'caf\u00e9']], (seen) =>
    expectAll([seen['x-latin'] === 'caf\u00e9', `x-latin was ${seen['x-latin']}`]),
  ),
  echoHeaders('mixed-case names', [['X-MiXeD-CaSe', 'v']], (seen) =>
    expectAll([seen['x-mixed-case'] === 'v', 'the mixed-case header is missing']),
  ),
  echoHeaders('a 4 KiB value', [['X-Long', 'v'.repeat(4096)]], (seen) =>
    expectAll([seen['x-long']?.length === 4096, 'the long header was cut']),
  ),
  // DESIGN: never assign req.ip or the protocol; without `trust proxy` forwarded headers mean nothing.
  oneRequest(
    'request headers: X-Forwarded-* not trusted by default',
    {
      target: '/info',
      headers: [
        ['X-Forwarded-For', '203.0.113.7'],
        ['X-Forwarded-Proto', 'https'],
        ['X-Forwarded-Host', 'evil.example'],
      ],
    },
    (response) => {
      const text = JSON.stringify(jsonBody(response) ?? {})
      return expectAll(
        [response.status === 200, `expected 200, got ${response.status}`],
        [!/203\.0\.113\.7|https|evil/.test(text), `the app trusted forwarded headers: ${text}`],
      )
    },
  ),
  oneRequest(
    'request headers: X-Forwarded-* honoured under trust proxy',
    {
      target: '/trusted',
      headers: [
        ['X-Forwarded-For', '203.0.113.7'],
        ['X-Forwarded-Proto', 'https'],
      ],
    },
    // Only Express has the setting (a sub-app with `trust proxy: loopback`); the others answer 404.
    (response, { framework }) => {
      if (!framework.startsWith('express')) return undefined
      const info = jsonBody(response)
      return expectAll([
        info?.ip === '203.0.113.7' && info.protocol === 'https',
        `trust proxy ignored: ${JSON.stringify(info)}`,
      ])
    },
  ),
  echoHeaders('empty value and tab inside', [
    ['X-Empty', ''],
    ['X-Tab', 'a\tb'],
  ]),
]
