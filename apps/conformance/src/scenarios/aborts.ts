import type { Scenario, WireConnection } from '../types.ts'
import { expectAll, jsonBody, responseOf } from './define.ts'

/**
 * The client leaves while the app waits silently (a long poll, route `wait`) or keeps writing
 * (`heartbeat`): the app must learn of it (`close` on req/res, `tsgi.signal`, `Request.signal`),
 * which `GET /abort/last` then reports.
 */
function clientAbort(how: string, leave: (connection: WireConnection) => void, route = 'wait'): Scenario {
  return {
    name: `wire: client ${how} mid-response reaches ${route === 'wait' ? 'the app' : 'a writing app'}`,
    wire: true,
    async run(context) {
      const connection = await context.connect!()
      let first: { status: number; part: string }
      try {
        await connection.write(`GET /abort/${route} HTTP/1.1\r\nHost: conformance.local\r\n\r\n`)
        const head = await connection.readHead()
        const part = await connection.bodyParts(head).next()
        first = { status: head.status, part: part.done ? '' : Buffer.from(part.value).toString('utf8') }
      } finally {
        leave(connection)
      }
      return { ...first, afterwards: await context.request({ target: '/abort/last' }) }
    },
    check: (observation) =>
      expectAll([
        jsonBody(responseOf(observation, 'afterwards'))?.aborted === true,
        'the app never saw the abort',
      ]),
  }
}

/** A client that goes away mid-response, by FIN or RST, while the app is silent or writing. */
export const abortScenarios: Scenario[] = [
  clientAbort('close (FIN)', (connection) => connection.destroy()),
  clientAbort('reset (RST)', (connection) => connection.reset()),
  clientAbort('close (FIN)', (connection) => connection.destroy(), 'heartbeat'),
]
