import type { App, Body } from '../../src/index.ts'
import { encode, type RuleCase, respond } from './context.ts'

/** A closable array body. */
function closable(chunks: Uint8Array[]): Body {
  return Object.assign([...chunks], { close() {} })
}

const closableApp: App = (_e, start) => {
  start('200 OK', [])
  return closable([encode('a'), encode('b')])
}

/** An app that starts a 200 and returns `body` as it is. */
function returns(body: unknown): App {
  return (_e, start) => {
    start('200 OK', [])
    return body as Body
  }
}

/** One bad and one good case per body rule (the unclosed-body rule has its own test). */
export const bodyCases: RuleCase[] = [
  {
    rule: 'body.type',
    bad: (c) => c.serve(returns('text')),
    good: (c) => c.serve(returns(new Set([encode('x')]))),
  },
  {
    rule: 'body.chunk-type',
    bad: (c) => c.serve(respond('200 OK', [], ['text'])),
    good: (c) => c.serve(respond('200 OK', [], [new Uint8Array(), Buffer.from('buffer')])),
  },
  {
    rule: 'body.head-empty',
    bad: (c) =>
      c.serve(respond('200 OK', [['Content-Length', '5']], [encode('hello')]), { REQUEST_METHOD: 'HEAD' }),
    good: (c) => c.serve(respond('200 OK', [['Content-Length', '5']], []), { REQUEST_METHOD: 'HEAD' }),
  },
  {
    rule: 'body.bodiless-status',
    bad: (c) => c.serve(respond('304 Not Modified', [], [encode('stale')])),
    good: (c) => c.serve(respond('304 Not Modified', [], [new Uint8Array()])),
  },
  {
    rule: 'body.content-length',
    bad: (c) => c.serve(respond('200 OK', [['Content-Length', '5']], [encode('abc')])),
    good: (c) =>
      c.serve(async (_e, start) => {
        await start('200 OK', [['content-length', '5']])(encode('ab'))
        return [encode('c'), encode('de')]
      }),
  },
  {
    rule: 'body.iterate-once',
    bad: (c) =>
      c.serve(
        closableApp,
        {},
        {
          consume: async (body) => {
            for (const _ of body as Iterable<Uint8Array>);
            for (const _ of body as Iterable<Uint8Array>);
            await body.close?.()
          },
        },
      ),
    good: (c) => c.serve(closableApp),
  },
  {
    rule: 'body.no-read-after-close',
    bad: (c) =>
      c.serve(
        closableApp,
        {},
        {
          consume: async (body) => {
            const iterator = (body as Iterable<Uint8Array>)[Symbol.iterator]()
            iterator.next()
            await body.close?.()
            iterator.next()
          },
        },
      ),
    good: (c) =>
      c.serve(
        closableApp,
        {},
        {
          consume: async (body) => {
            const iterator = (body as Iterable<Uint8Array>)[Symbol.iterator]()
            iterator.next()
            await body.close?.()
          },
        },
      ),
  },
]
