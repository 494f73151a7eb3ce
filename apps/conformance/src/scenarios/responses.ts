import { EARLY_HINT_LINK, TEXT } from '../apps/fixtures.ts'
import type { Scenario } from '../types.ts'
import { expectAll, header, oneRequest, responseOf } from './define.ts'

/** Status codes, HEAD, and header bytes on the way out. */
export const responseScenarios: Scenario[] = [
  // RFC 9110 §9.3.2: HEAD gets GET's headers, Content-Length included, and no body.
  oneRequest('HEAD: known body keeps Content-Length', { method: 'HEAD', target: '/text' }, (response) =>
    expectAll(
      [response.status === 200, `expected 200, got ${response.status}`],
      [response.body === '', 'HEAD response has a body'],
      // RFC 9110 §8.6: a HEAD response may omit Content-Length, but if sent it is the GET length.
      [
        [undefined, String(Buffer.byteLength(TEXT))].includes(header(response, 'content-length')),
        `Content-Length ${header(response, 'content-length')} is not the GET length`,
      ],
    ),
  ),
  // GET /stream has no length, so by RFC 9110 §8.6 its HEAD response must not claim one.
  oneRequest('HEAD: streamed route sends no body', { method: 'HEAD', target: '/stream' }, (response) =>
    expectAll(
      [response.body === '', 'HEAD response has a body'],
      [
        header(response, 'content-length') === undefined,
        `Content-Length ${header(response, 'content-length')} on HEAD`,
      ],
    ),
  ),
  oneRequest('status: 201 with Location', { target: '/status/201' }, (response) =>
    expectAll([
      response.status === 201 && header(response, 'location') === '/created',
      'no 201 with Location',
    ]),
  ),
  // RFC 9110 §15.3.5: a 204 has no content and RFC 9112 §6.3 no framing headers.
  oneRequest('status: 204 has no body', { target: '/status/204' }, (response) =>
    expectAll([response.status === 204 && response.body === '', 'expected an empty 204']),
  ),
  oneRequest('status: 418 and its reason phrase', { target: '/status/418' }, (response) =>
    expectAll([response.status === 418, `expected 418, got ${response.status}`]),
  ),
  oneRequest('status: 404 from the framework', { target: '/no/such/route' }, (response) =>
    expectAll([response.status === 404, `expected 404, got ${response.status}`]),
  ),
  // RFC 9110 §13.1.2: a matching If-None-Match on GET gets 304 (from frameworks that make ETags).
  {
    name: 'conditional GET: If-None-Match with the ETag',
    async run(context) {
      const first = await context.request({ target: '/text' })
      const etag = header(first, 'etag') ?? '"no-etag"'
      return { first, second: await context.request({ target: '/text', headers: [['If-None-Match', etag]] }) }
    },
    check: (observation) => {
      const [first, second] = [responseOf(observation, 'first'), responseOf(observation, 'second')]
      return expectAll([
        header(first, 'etag') === undefined || second?.status === 304,
        `an ETag came but the revalidation got ${second?.status}`,
      ])
    },
  },
  oneRequest('headers: repeated non-cookie response fields', { target: '/repeat' }, (response) =>
    expectAll([
      (response.headers['x-repeat'] ?? []).join(',').replaceAll(' ', '') === 'one,two',
      `X-Repeat was ${JSON.stringify(response.headers['x-repeat'])}`,
    ]),
  ),
  oneRequest('status: 200 with an empty body', { target: '/empty' }, (response) =>
    expectAll([response.status === 200 && response.body === '', 'expected an empty 200']),
  ),
  // RFC 8297: a 103 may precede the final response; in memory there is no interim response to see.
  oneRequest('early hints: 103 before the response', { target: '/hints' }, (response, { way }) =>
    expectAll(
      [response.body === 'hinted\n', 'the final response is wrong'],
      [way === 'memory' || (response.interim ?? []).includes(103), `no 103 (link ${EARLY_HINT_LINK})`],
    ),
  ),
  // Header values are latin-1 on the wire (RFC 9110 §5.5 obs-text): é is the byte 0xE9. node:http
  // itself writes the head in the body's encoding when both go out in one write of a string body
  // (Koa's `res.end(string)`), so UTF-8 (read back as "Ã©") is the native answer there.
  oneRequest('headers: latin-1 byte in a response header', { target: '/latin1' }, (response) =>
    expectAll([
      ['caf\u00e9', 'caf\u00c3\u00a9'].includes(header(response, 'x-latin') ?? ''),
      `X-Latin was ${header(response, 'x-latin')}`,
    ]),
  ),
]
