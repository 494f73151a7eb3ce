import type { Scenario, ScenarioRequest } from '../types.ts'
import { expectAll, header, jsonBody, oneRequest, responseOf } from './define.ts'

const FORM = 'application/x-www-form-urlencoded'

const login: ScenarioRequest = {
  method: 'POST',
  target: '/login',
  headers: [['Content-Type', FORM]],
  body: 'user=Ana+Mar%C3%ADa&note=caf%C3%A9+%26+more',
}

/** `name=value` of each `Set-Cookie`, as a browser would send them back (RFC 6265 §5.4). */
function cookieHeader(setCookies: string[]): string {
  return setCookies.map((line) => line.split(';')[0]).join('; ')
}

/** Form posts, the post-redirect-get pattern, and cookies both ways. */
export const formScenarios: Scenario[] = [
  oneRequest('form: POST answers 303 with three Set-Cookie', login, (response) =>
    expectAll(
      [response.status === 303, `expected 303, got ${response.status}`],
      [(response.headers['set-cookie'] ?? []).length === 3, 'expected three separate Set-Cookie fields'],
      [
        header(response, 'location')?.startsWith('/welcome?user=') === true,
        'expected a Location to /welcome',
      ],
    ),
  ),
  {
    name: 'form: redirect followed with the cookies',
    async run(context) {
      const posted = await context.request(login)
      const welcome = await context.request({
        target: header(posted, 'location') ?? '/welcome',
        headers: [['Cookie', cookieHeader(posted.headers['set-cookie'] ?? [])]],
      })
      return { posted, welcome }
    },
    check(observation) {
      const welcome = jsonBody(responseOf(observation, 'welcome'))
      const cookies = welcome?.cookies as Record<string, string> | undefined
      return expectAll(
        [welcome?.user === 'Ana María', `the redirect carried user ${String(welcome?.user)}`],
        [cookies?.theme === 'dark' && cookies.visit === 'yes', 'the cookies did not come back'],
      )
    },
  },
  oneRequest(
    'form: UTF-8, plus and & in fields',
    {
      method: 'POST',
      target: '/form',
      headers: [['Content-Type', FORM]],
      body: 'a=caf%C3%A9&b=x+y&c=%26%3D&d=',
    },
    (response) => {
      const fields = jsonBody(response)?.fields as Record<string, string> | undefined
      return expectAll([
        fields?.a === 'café' && fields.b === 'x y' && fields.c === '&=',
        'fields decoded wrongly',
      ])
    },
  ),
  // Body parsers decide "is there a body" from Content-Length or Transfer-Encoding; a chunked
  // form has only the latter, so an adapter that drops it makes the form look empty.
  oneRequest(
    'form: chunked form body',
    { method: 'POST', target: '/form', headers: [['Content-Type', FORM]], chunks: ['a=chu', 'nked&b=', '2'] },
    (response) => {
      const fields = jsonBody(response)?.fields as Record<string, string> | undefined
      return expectAll([fields?.a === 'chunked' && fields.b === '2', `fields were ${JSON.stringify(fields)}`])
    },
  ),
  // RFC 9113 allows split Cookie fields and RFC 6265 §5.4 says one; servers join them with "; ".
  oneRequest(
    'cookies: two Cookie lines',
    {
      target: '/cookies',
      headers: [
        ['Cookie', 'a=1; b=2'],
        ['Cookie', 'c=3'],
      ],
    },
    (response) => {
      const cookies = jsonBody(response)?.cookies as Record<string, string> | undefined
      return expectAll([cookies?.a === '1' && cookies.c === '3', `cookies were ${JSON.stringify(cookies)}`])
    },
  ),
  oneRequest('cookies: quoted value and = in value', {
    target: '/cookies',
    headers: [['Cookie', 'q="quoted value"; eq=a=b; empty=']],
  }),
]
