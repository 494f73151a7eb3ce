import type { App, StartResponse, Write } from '../../src/index.ts'
import { encode, hello, type RuleCase, respond } from './context.ts'

const noop: Write = async () => {}

/** One bad and one good case per startResponse, header and write rule. */
export const responseCases: RuleCase[] = [
  {
    rule: 'response.start-args',
    bad: (c) => c.serve(calls((start) => (start as (status: string) => Write)('200 OK'))),
    good: (c) => c.serve(calls((start) => start('200 OK', [], undefined))),
  },
  {
    rule: 'response.start-once',
    bad: (c) => c.serve(calls((start) => [start('200 OK', []), start('500 Oops', [])])),
    good: (c) => c.serve(calls((start) => [start('200 OK', []), start('500 Oops', [], new Error('boom'))])),
  },
  {
    rule: 'response.status',
    bad: (c) => c.serve(respond('200', [])),
    good: (c) => c.serve(respond('599 ', [])),
  },
  {
    rule: 'response.status-final',
    bad: (c) => c.serve(respond('103 Early Hints', [])),
    good: (c) => c.serve(respond('200 OK', [])),
  },
  {
    rule: 'response.start-returns-write',
    bad: (c) =>
      c.serve(respond('200 OK', []), {}, { startResponse: (() => undefined) as unknown as StartResponse }),
    good: (c) => c.serve(respond('200 OK', []), {}, { startResponse: () => noop }),
  },
  {
    rule: 'response.exc-info-rethrow',
    bad: (c) => c.serve(failsAfterSending, {}, { startResponse: () => noop }),
    good: (c) => c.serve(failsAfterSending),
  },
  {
    rule: 'response.started-before-body',
    bad: (c) =>
      c.serve(() =>
        (function* () {
          yield encode('early')
        })(),
      ),
    good: (c) =>
      c.serve((_e, start) =>
        (function* () {
          start('200 OK', [])
          yield encode('in time')
        })(),
      ),
  },
  {
    rule: 'headers.list',
    bad: (c) => c.serve(respond('200 OK', { 'Content-Type': 'text/plain' } as never)),
    good: (c) => c.serve(respond('200 OK', [['Content-Type', 'text/plain']])),
  },
  {
    rule: 'headers.name',
    bad: (c) => c.serve(respond('200 OK', [['Content Type', 'text/plain']])),
    good: (c) => c.serve(respond('200 OK', [['X-Odd_Name.1!', 'text/plain']])),
  },
  {
    rule: 'headers.value',
    bad: (c) => c.serve(respond('200 OK', [['X-Note', 'a\r\nSet-Cookie: x=1']])),
    good: (c) => c.serve(respond('200 OK', [['X-Note', 'a\tb caf\u00e9']])),
  },
  {
    rule: 'headers.no-status',
    bad: (c) => c.serve(respond('200 OK', [['Status', '404 Not Found']])),
    good: (c) => c.serve(respond('200 OK', [['X-Status', 'fine']])),
  },
  {
    rule: 'headers.no-hop-by-hop',
    bad: (c) => c.serve(respond('200 OK', [['Transfer-Encoding', 'chunked']], [encode('x')])),
    good: (c) => c.serve(respond('200 OK', [['Content-Encoding', 'identity']], [encode('x')])),
  },
  {
    rule: 'headers.content-length',
    bad: (c) =>
      c.serve(
        respond(
          '200 OK',
          [
            ['Content-Length', '1'],
            ['Content-Length', '1'],
          ],
          [encode('x')],
        ),
      ),
    good: (c) => c.serve(respond('200 OK', [['Content-Length', '1']], [encode('x')])),
  },
  {
    rule: 'headers.bodiless-status',
    bad: (c) => c.serve(respond('204 No Content', [['Content-Type', 'text/plain']])),
    good: (c) =>
      c.serve(
        respond('304 Not Modified', [
          ['Content-Length', '5'],
          ['ETag', '"a"'],
        ]),
      ),
  },
  {
    rule: 'write.bytes',
    bad: (c) => c.serve(calls((start) => start('200 OK', [])('text' as never))),
    good: (c) => c.serve(calls((start) => start('200 OK', [])(encode('bytes')))),
  },
  {
    rule: 'write.before-iteration',
    bad: (c) =>
      c.serve((_e, start) => {
        const write = start('200 OK', [])
        return (async function* () {
          await write(encode('late'))
          yield encode('x')
        })()
      }),
    good: (c) =>
      c.serve(async (_e, start) => {
        await start('200 OK', [])(encode('early'))
        return [encode('x')]
      }),
  },
  {
    rule: 'write.returns-promise',
    bad: (c) => c.serve(writesOnce, {}, { startResponse: () => (() => undefined) as unknown as Write }),
    good: (c) => c.serve(writesOnce),
  },
  {
    rule: 'early-hints.headers',
    bad: (c) =>
      c.serve(
        hints([
          ['Link', '</a.css>; rel=preload'],
          ['Connection', 'close'],
        ]),
        earlyHints(),
      ),
    good: (c) => c.serve(hints([['Link', '</a.css>; rel=preload']]), earlyHints()),
  },
  {
    rule: 'early-hints.before-response',
    bad: (c) =>
      c.serve(async (environ, start) => {
        await start('200 OK', [])(encode('x'))
        await environ['tsgi.early_hints']?.([['Link', '</a.css>; rel=preload']])
        return []
      }, earlyHints()),
    good: (c) => c.serve(hints([['Link', '</a.css>; rel=preload']]), earlyHints()),
  },
]

/** An app that runs `use(startResponse)` and returns an empty body. */
function calls(use: (start: StartResponse) => unknown): App {
  return (_e, start) => {
    use(start)
    return []
  }
}

const failsAfterSending: App = async (_e, start) => {
  await start('200 OK', [])(encode('partial'))
  const boom = new Error('boom')
  try {
    start('500 Internal Server Error', [], boom)
  } catch (error) {
    // A correct server rethrew `boom` (a real app lets it propagate; here it proves the rethrow).
    if (error !== boom) throw error
  }
  return []
}

const writesOnce: App = (_e, start) => {
  void start('200 OK', [])(encode('x'))
  return []
}

function earlyHints(): { 'tsgi.early_hints': (headers: unknown) => Promise<void> } {
  return { 'tsgi.early_hints': async () => {} }
}

function hints(headers: Array<[string, string]>): App {
  return async (environ, start) => {
    await environ['tsgi.early_hints']?.(headers)
    return hello(environ, start)
  }
}
