import { type Body, createEnviron } from '@tsgi/core'
import express from 'express'
import { expect, it } from 'vitest'
import { fromExpress } from '../../src/index.ts'

const pendingImmediates = () => process.getActiveResourcesInfo().filter((kind) => kind === 'Immediate').length

// A server handles every ready connection in one event-loop turn. Anything pending until the
// turn ends that holds a finished exchange keeps its request, and what the app hung on it (a
// parsed 64 KiB upload), alive through all the others: under load that filled the heap and
// tripled GC time (docs/benchmarks.md). The bridge's disconnect watch starts from an immediate,
// so a finished exchange must leave none behind.
it('leaves no immediate holding an exchange once its response finished', async () => {
  const app = express()
  app.get('/', async (_req, res) => {
    // Answered after the handler returned: the bridge then schedules its disconnect watch.
    await Promise.resolve()
    res.send('done')
  })
  const before = pendingImmediates()
  const body: Body = await fromExpress(app)(createEnviron(), () => async () => {})
  expect(pendingImmediates()).toBe(before + 1)
  if (Array.isArray(body)) (body as Body).close?.()
  else for await (const _ of body as AsyncIterable<Uint8Array>);
  expect(pendingImmediates()).toBe(before)
})
