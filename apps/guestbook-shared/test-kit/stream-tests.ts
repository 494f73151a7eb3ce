import { expect, it, vi } from 'vitest'
import type { Guestbook } from '../src/index.ts'
import { jsonPost } from './api-tests.ts'
import type { Running } from './harness.ts'
import { openEventStream } from './sse-client.ts'

/** What the stream tests need: a running app on a socket and its guestbook. */
export interface StreamContext {
  running: Running
  guestbook: Guestbook
}

/** Server-sent events over a real socket. */
export function streamTests(ctx: () => StreamContext): void {
  it('GET /events pushes each new entry as it is stored', async () => {
    const { running } = ctx()
    const events = await openEventStream(`${running.baseUrl}/events`)
    try {
      expect(events.response.statusCode).toBe(200)
      expect(events.response.headers['content-type']).toBe('text/event-stream; charset=utf-8')
      expect(events.response.headers['cache-control']).toBe('no-store')
      await events.waitFor(': connected\n\n')
      const created = await running.target('/api/entries', jsonPost({ name: 'Live', message: 'pushed' }))
      const { id } = JSON.parse(created.text)
      const text = await events.waitFor('pushed')
      expect(text).toContain(`id: ${id}\nevent: entry\ndata: {"id":${id},"name":"Live","message":"pushed",`)
    } finally {
      events.close()
    }
  })

  it('unsubscribes a stream when its client goes away', async () => {
    const { running, guestbook } = ctx()
    const events = await openEventStream(`${running.baseUrl}/events`)
    await events.waitFor(': connected')
    expect(guestbook.broadcaster.size).toBe(1)
    events.close()
    await vi.waitFor(() => expect(guestbook.broadcaster.size).toBe(0), { timeout: 2000, interval: 10 })
  })

  it('replays entries after Last-Event-ID to a reconnecting client', async () => {
    const { running } = ctx()
    await running.target('/api/entries', jsonPost({ name: 'a', message: 'seen' }))
    await running.target('/api/entries', jsonPost({ name: 'b', message: 'missed' }))
    const events = await openEventStream(`${running.baseUrl}/events`, { 'last-event-id': '1' })
    try {
      const text = await events.waitFor('missed')
      expect(text).not.toContain('seen')
    } finally {
      events.close()
    }
  })
}
