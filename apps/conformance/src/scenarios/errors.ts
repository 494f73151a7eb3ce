import type { Scenario } from '../types.ts'
import { expectAll, oneRequest } from './define.ts'

/** How a streamed response ended, seen from the client. */
type Ending = 'complete' | 'cut' | 'timeout'

const is500 = (response: { status: number }) =>
  expectAll([response.status === 500, `expected 500, got ${response.status}`])

/** Errors the app throws: each framework's own error response, identical on every host. */
export const errorScenarios: Scenario[] = [
  oneRequest('error: thrown synchronously', { target: '/throw' }, is500),
  oneRequest('error: rejected promise', { target: '/reject' }, is500),
  // Headers and a first chunk are out when the app fails: only an unfinished message (no last
  // chunk, then a close) tells the client the body is broken (RFC 9112 §6.3, §7.1).
  {
    name: 'error: thrown after the first chunk',
    wire: true,
    async run(context) {
      const connection = await context.connect!()
      try {
        await connection.write('GET /stream/fail HTTP/1.1\r\nHost: conformance.local\r\n\r\n')
        const head = await connection.readHead()
        // A host that neither ends nor cuts the body leaves the client waiting: 1 s tells.
        connection.setReadTimeout(1000)
        let body = ''
        let ending: Ending = 'complete'
        try {
          for await (const part of connection.bodyParts(head)) body += Buffer.from(part).toString('utf8')
        } catch (error) {
          ending = String(error).includes('timed out') ? 'timeout' : 'cut'
        }
        return { status: head.status, body, ending }
      } finally {
        connection.destroy()
      }
    },
    // On every host, Hono's stream helpers catch the error, log it and end the body normally, and
    // Koa 2 neither ends nor destroys the response when its body stream fails (Koa 3 does).
    check: (observation, { framework }) =>
      expectAll([
        observation.ending === 'cut' || framework === 'hono' || framework === 'koa2',
        `the broken body ended as ${String(observation.ending)}`,
      ]),
  },
]
