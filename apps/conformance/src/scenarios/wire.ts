import { delay, STREAM_DELAY_MS } from '../apps/fixtures.ts'
import type { Observation, Scenario, ScenarioContext, WireConnection } from '../types.ts'
import { expectAll, header, jsonBody, responseOf } from './define.ts'

const UPLOAD = Buffer.alloc(64 * 1024, 'x')

/** Runs `steps` on a fresh raw connection and always closes it. */
async function onConnection<T>(
  context: ScenarioContext,
  steps: (c: WireConnection) => Promise<T>,
): Promise<T> {
  const connection = await context.connect!()
  try {
    return await steps(connection)
  } finally {
    connection.destroy()
  }
}

/**
 * Sends an upload's head with `Expect: 100-continue` and sends the body only if the server asks
 * for it (RFC 9110 §10.1.1): whichever comes first, a 100 or the final answer, decides.
 */
const expectContinue = (name: string, target: string): Scenario => ({
  name,
  wire: true,
  run: (context) =>
    onConnection(context, async (connection) => {
      await connection.write(
        `POST ${target} HTTP/1.1\r\nHost: conformance.local\r\nContent-Type: application/octet-stream\r\n` +
          `Content-Length: ${UPLOAD.byteLength}\r\nExpect: 100-continue\r\n\r\n`,
      )
      const first = await connection.readHead()
      if (first.status !== 100)
        return { continued: false, response: await connection.readResponse('POST', first) }
      await connection.write(UPLOAD)
      return { continued: true, response: await connection.readResponse('POST') }
    }),
})

const conn = (body: Record<string, unknown> | undefined) => body ?? {}

/** Four times the request buffers of node and of the bridge, a quarter of the server's discard limit. */
const LARGE_UPLOAD = Buffer.alloc(256 * 1024, 'z')

/**
 * A large upload to `target`, which answers with most of it unread, a request pipelined behind it
 * on the same connection, then `GET /upload/last`: what the app saw of its upload afterwards (the
 * bytes it got, the request's events). node:http reads an unread body off the connection and
 * throws it away, still ending the request; one the app reads after answering it goes on
 * delivering, and answers the next request after it.
 */
const uploadAfterResponse = (name: string, target: string, check: Scenario['check']): Scenario => ({
  name,
  wire: true,
  async run(context) {
    const responses = await onConnection(context, async (connection) => {
      await connection.write(
        `POST ${target} HTTP/1.1\r\nHost: conformance.local\r\nContent-Type: application/octet-stream\r\n` +
          `Content-Length: ${LARGE_UPLOAD.byteLength}\r\n\r\n`,
      )
      await connection.write(LARGE_UPLOAD)
      await connection.write('GET /p/next HTTP/1.1\r\nHost: conformance.local\r\n\r\n')
      return { response: await connection.readResponse('POST'), next: await connection.readResponse() }
    })
    return { ...responses, upload: jsonBody(await context.request({ target: '/upload/last' })) ?? null }
  },
  check,
})

/** Frameworks whose app sees node's `IncomingMessage`, with its events. */
const onNodeRequest = (framework: string): boolean =>
  framework.startsWith('express') || framework.startsWith('koa')

const uploadOf = (observation: Observation) =>
  observation.upload as { received?: number; events?: string[] } | null

/** What only a socket shows: interim responses, connection reuse, pipelining, closes, aborts. */
export const wireScenarios: Scenario[] = [
  {
    name: 'wire: upload trickles in over time',
    wire: true,
    run: (context) =>
      onConnection(context, async (connection) => {
        const piece = Buffer.alloc(4096, 'y')
        await connection.write(
          `POST /upload HTTP/1.1\r\nHost: conformance.local\r\nContent-Length: ${piece.byteLength * 3}\r\n\r\n`,
        )
        for (let index = 0; index < 3; index++) {
          await connection.write(piece)
          await new Promise((resolve) => setTimeout(resolve, 15))
        }
        return { response: await connection.readResponse('POST') }
      }),
    check: (observation) =>
      expectAll([jsonBody(responseOf(observation))?.bytes === 3 * 4096, 'the app did not read every piece']),
  },
  // RFC 9112 §3.2.2: absolute-form is for proxies, but a server must accept it.
  {
    name: 'wire: absolute-form request target',
    wire: true,
    run: (context) =>
      onConnection(context, async (connection) => {
        await connection.write(
          'GET http://conformance.local/p/abs?x=1 HTTP/1.1\r\nHost: conformance.local\r\n\r\n',
        )
        return { response: await connection.readResponse() }
      }),
  },
  {
    ...expectContinue('wire: 100-continue, app reads the upload', '/upload'),
    check: (observation) =>
      expectAll(
        [observation.continued === true, 'no 100 Continue although the app read the body'],
        [
          jsonBody(responseOf(observation))?.bytes === UPLOAD.byteLength,
          'the app did not get the whole upload',
        ],
      ),
  },
  uploadAfterResponse(
    'wire: upload the app never reads still ends',
    '/upload/ignore',
    (observation, { framework }) =>
      expectAll(
        [responseOf(observation)?.status === 200, 'expected the 200'],
        [responseOf(observation, 'next')?.status === 200, 'the pipelined request got no answer'],
        [
          !onNodeRequest(framework) || uploadOf(observation)?.events?.join() === 'end,close',
          `req should emit 'end' then 'close': ${JSON.stringify(uploadOf(observation))}`,
        ],
      ),
  ),
  uploadAfterResponse('wire: upload read after answering arrives whole', '/upload/late', (observation) =>
    expectAll(
      [responseOf(observation)?.body === 'answered first\n', 'expected the early answer'],
      [responseOf(observation, 'next')?.status === 200, 'the pipelined request got no answer'],
      [
        uploadOf(observation)?.received === LARGE_UPLOAD.byteLength &&
          uploadOf(observation)?.events?.[0] === 'end',
        `the app should read the whole upload to its end: ${JSON.stringify(uploadOf(observation))}`,
      ],
    ),
  ),
  {
    ...expectContinue('wire: 100-continue, app refuses with 413', '/upload/refuse'),
    check: (observation) => expectAll([responseOf(observation)?.status === 413, 'expected the 413']),
  },
  {
    name: 'wire: keep-alive reuses the connection',
    wire: true,
    run: (context) =>
      onConnection(context, async (connection) => {
        const request = 'GET /conn HTTP/1.1\r\nHost: conformance.local\r\n\r\n'
        await connection.write(request)
        const first = await connection.readResponse()
        await connection.write(request)
        const second = await connection.readResponse()
        const [a, b] = [conn(jsonBody(first)), conn(jsonBody(second))]
        return {
          statuses: [first.status, second.status],
          ip: a.ip,
          remoteAddress: a.remoteAddress,
          remotePortType: typeof a.remotePort,
          // Ports are random: compare facts about them, not the numbers.
          sameRemotePort: a.remotePort === b.remotePort,
          remotePortIsClientPort: Number(a.remotePort) === connection.localPort,
          // The socket's own end, where a framework exposes it (Express, Koa, Hono's c.env.incoming).
          localAddress: a.localAddress,
          localPortIsServerPort:
            a.localPort === undefined ? undefined : Number(a.localPort) === connection.remotePort,
        }
      }),
    check: (observation) =>
      expectAll(
        [String(observation.statuses) === '200,200', `statuses ${String(observation.statuses)}`],
        [observation.sameRemotePort === true, 'the second request came on another connection'],
        [observation.remotePortIsClientPort === true, "the app's remote port is not the client's port"],
      ),
  },
  {
    name: 'wire: three pipelined requests answered in order',
    wire: true,
    run: (context) =>
      onConnection(context, async (connection) => {
        const json = '{"n":2}'
        await connection.write(
          'GET /echo?n=1 HTTP/1.1\r\nHost: conformance.local\r\n\r\n' +
            `POST /json HTTP/1.1\r\nHost: conformance.local\r\nContent-Type: application/json\r\nContent-Length: ${json.length}\r\n\r\n${json}` +
            'GET /text HTTP/1.1\r\nHost: conformance.local\r\n\r\n',
        )
        const responses = []
        for (let index = 0; index < 3; index++) responses.push(await connection.readResponse())
        return { responses }
      }),
    check: (observation) => {
      const responses = observation.responses as Array<{ status: number; body: string }>
      return expectAll(
        [responses.every((response) => response.status === 200), 'not every pipelined request got a 200'],
        [responses[0]?.body.includes('n=1') === true, 'the first answer is not the first request'],
        [responses[1]?.body.includes('"n":2') === true, 'the second answer is not the second request'],
      )
    },
  },
  // The app flushes the head and ends its response later. A HEAD or a 204 is whole on the wire
  // once its head is out: the next request on the connection is answered, and the server lives.
  ...[
    ['HEAD', '/flushed'],
    ['GET', '/flushed-204'],
  ].map(
    ([method, target]): Scenario => ({
      name: `wire: ${method} ${target}, head flushed and response ended later, then another request`,
      wire: true,
      run: (context) =>
        onConnection(context, async (connection) => {
          await connection.write(
            `${method} ${target} HTTP/1.1\r\nHost: conformance.local\r\n\r\n` +
              'GET /text HTTP/1.1\r\nHost: conformance.local\r\n\r\n',
          )
          const first = await connection.readResponse(method)
          const second = await connection.readResponse()
          await delay(2 * STREAM_DELAY_MS)
          const third = await context.request({ target: '/text' })
          return { first, second, after: third.status }
        }),
      check: (observation) => {
        const first = responseOf(observation, 'first')
        const second = responseOf(observation, 'second')
        return expectAll(
          [first?.status === (method === 'HEAD' ? 200 : 204), `first answer ${String(first?.status)}`],
          [header(first, 'x-flushed') === 'yes', 'the flushed head lost its header'],
          [second?.status === 200, `the next request got ${String(second?.status)}`],
          [observation.after === 200, 'the server stopped answering'],
        )
      },
    }),
  ),
  {
    // The app asks to close (node:http's `res.shouldKeepAlive = false`, a shutdown drain): the
    // request pipelined behind it is not answered, and the connection ends.
    name: "wire: the app's Connection: close ends the connection after its response",
    wire: true,
    run: (context) =>
      onConnection(context, async (connection) => {
        await connection.write(
          'GET /conn-close HTTP/1.1\r\nHost: conformance.local\r\n\r\n' +
            'GET /text HTTP/1.1\r\nHost: conformance.local\r\n\r\n',
        )
        const response = await connection.readResponse()
        return { response, closed: await connection.closedWithin(1000) }
      }),
    check: (observation) =>
      expectAll(
        [responseOf(observation)?.body === 'bye\n', 'the first answer is missing'],
        [
          header(responseOf(observation), 'connection') === 'close',
          'the answer does not say Connection: close',
        ],
        [observation.closed === true, 'the connection stayed open'],
      ),
  },
  {
    name: 'wire: HTTP/1.0 request, connection closed after',
    wire: true,
    run: (context) =>
      onConnection(context, async (connection) => {
        await connection.write('GET /text HTTP/1.0\r\n\r\n')
        const response = await connection.readResponse()
        return { response, closed: await connection.closedWithin(1000) }
      }),
    check: (observation) => expectAll([observation.closed === true, 'the 1.0 connection stayed open']),
  },
  {
    name: 'wire: Connection: close is honoured',
    wire: true,
    run: (context) =>
      onConnection(context, async (connection) => {
        await connection.write('GET /text HTTP/1.1\r\nHost: conformance.local\r\nConnection: close\r\n\r\n')
        const response = await connection.readResponse()
        return { response, closed: await connection.closedWithin(1000) }
      }),
    check: (observation) => expectAll([observation.closed === true, 'the connection stayed open']),
  },
]
