import http from 'node:http'
import { Duplex, Readable, Writable } from 'node:stream'
import { describe, expect, it } from 'vitest'
import { fromExpress } from '../src/express.ts'
import { fromKoa } from '../src/koa.ts'
import { fromNodeHandler } from '../src/node-handler.ts'
import { toNodeHandler } from '../src/to-node-handler.ts'
import { call, EXPRESS_VERSIONS, KOA_VERSIONS } from './node/helpers.ts'

/** Every own property (descriptor included) of each object, to compare before and after. */
function snapshot(
  objects: Record<string, object>,
): Record<string, Record<string | symbol, PropertyDescriptor>> {
  const out: Record<string, Record<string | symbol, PropertyDescriptor>> = {}
  for (const [name, object] of Object.entries(objects)) {
    out[name] = { ...Object.getOwnPropertyDescriptors(object), __proto__: Object.getPrototypeOf(object) }
  }
  return out
}

describe('no globals or prototypes touched', () => {
  it('leaves globalThis, node:http and stream prototypes, and the frameworks prototypes as they were', async () => {
    const [, express4] = EXPRESS_VERSIONS[0]
    const [, express5] = EXPRESS_VERSIONS[1]
    const [, Koa2] = KOA_VERSIONS[0]
    const [, Koa3] = KOA_VERSIONS[1]
    const watched = {
      globalThis,
      IncomingMessage: http.IncomingMessage.prototype,
      ServerResponse: http.ServerResponse.prototype,
      OutgoingMessage: http.OutgoingMessage.prototype,
      Readable: Readable.prototype,
      Writable: Writable.prototype,
      Duplex: Duplex.prototype,
      express4Request: express4.request,
      express4Response: express4.response,
      express5Request: express5.request,
      express5Response: express5.response,
    }
    // Node defines some globals (Blob, ...) as getters that replace themselves on first use;
    // touch them all first so that only a change made by the adapters can show.
    for (const key of Reflect.ownKeys(globalThis)) Reflect.get(globalThis, key)
    const globalsBefore = {
      Request: globalThis.Request,
      Response: globalThis.Response,
      Headers: globalThis.Headers,
    }
    const before = snapshot(watched)

    for (const [, express] of EXPRESS_VERSIONS) {
      const app = express()
      app.use(express.json())
      app.post('/', (req, res) => res.cookie('a', '1').json(req.body))
      await call(fromExpress(app), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{}',
      })
      await call(fromNodeHandler(toNodeHandler(fromExpress(app))), { url: '/missing' })
    }
    for (const Koa of [Koa2, Koa3]) {
      const app = new Koa()
      const koaBefore = snapshot({
        context: Object.getPrototypeOf(app.context),
        request: app.request,
        response: app.response,
      })
      app.use((ctx) => {
        ctx.body = { ok: true }
      })
      await call(fromKoa(app))
      expect(
        snapshot({
          context: Object.getPrototypeOf(app.context),
          request: app.request,
          response: app.response,
        }),
      ).toEqual(koaBefore)
    }

    expect(snapshot(watched)).toEqual(before)
    expect({
      Request: globalThis.Request,
      Response: globalThis.Response,
      Headers: globalThis.Headers,
    }).toEqual(globalsBefore)
    expect(new Response('x')).toBeInstanceOf(globalsBefore.Response)
  })
})
