import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { createEnviron } from '@tsgi/core'
import { expect, it } from 'vitest'
import { fromFetch } from '../../src/index.ts'

/** V8's `gc()`, without starting node with --expose-gc: `{ type: 'minor' }` runs a scavenge. */
function gc(options?: { type: 'minor' | 'major' }): void {
  setFlagsFromString('--expose-gc')
  ;(runInNewContext('gc') as (options?: { type: 'minor' | 'major' }) => void)(options)
}

// A request's objects must die young: anything of it V8 keeps through a scavenge holds the
// environ and with it the whole request, which is then copied and promoted, and a server under
// load spends its time in garbage collection (docs/benchmarks.md, "Objects that outlive a
// scavenge"). A `request.signal` getter made per request (a closure over the environ) was such
// an object: V8 keeps an accessor defined with a fresh getter through the scavenges.
it('leaves nothing of a finished request that a scavenge cannot free', async () => {
  const app = fromFetch((request) => new Response(request.signal.aborted ? 'aborted' : 'ok'))
  const requests = 100
  const run = async (): Promise<void> => {
    const environ = createEnviron({ 'tsgi.signal': new AbortController().signal })
    // About 64 KiB of objects hung on the environ: they live as long as anything holds it.
    ;(environ as Record<string, unknown>)['test.payload'] = Array.from({ length: 4000 }, (_, i) => ({ i }))
    const body = await app(environ, () => async () => {})
    for await (const _ of body as AsyncIterable<Uint8Array>);
    await body.close?.()
  }
  await run()
  gc({ type: 'major' })
  const before = process.memoryUsage().heapUsed
  for (let i = 0; i < requests; i++) await run()
  await new Promise((resolve) => setImmediate(resolve))
  gc({ type: 'minor' })
  gc({ type: 'minor' })
  const kept = process.memoryUsage().heapUsed - before
  // 100 requests' payloads are over 6 MiB, all of which a closure over the environ kept. A few
  // in flight during the loop's own scavenges may have been promoted, and the loop's own
  // bookkeeping (about 0.4 MiB without any payload) stays too.
  expect(kept).toBeLessThan(2 * 1024 * 1024)
})
