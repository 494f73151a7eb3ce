import { afterEach, describe, expect, it, vi } from 'vitest'
import { Guestbook } from '../src/index.ts'
import { tempDbPath } from '../test-kit/temp-db.ts'

async function* bytes(text: string): AsyncGenerator<Uint8Array> {
  yield new TextEncoder().encode(text)
}

async function post(guestbook: Guestbook, message: string): Promise<number> {
  const body = bytes(JSON.stringify({ name: 'n', message }))
  const reply = await guestbook.createEntry({
    contentType: 'application/json',
    contentLength: undefined,
    body,
  })
  expect(reply.status).toBe(201)
  return JSON.parse(new TextDecoder().decode(reply.body)).id
}

/** Collects the ids of `entry` events an open stream delivers. */
function collectIds(guestbook: Guestbook): { ids: number[]; stop(): void } {
  const ids: number[] = []
  const { stream } = guestbook.events(undefined)
  void (async () => {
    for await (const chunk of stream) {
      const id = /^id: (\d+)/.exec(new TextDecoder().decode(chunk))?.[1]
      if (id) ids.push(Number(id))
    }
  })()
  return { ids, stop: () => stream.close() }
}

describe('entries from other processes (two guestbooks on one file, as two workers)', () => {
  const cleanups: Array<() => void> = []
  afterEach(() => {
    for (const cleanup of cleanups.splice(0)) cleanup()
  })
  const open = (): [Guestbook, Guestbook] => {
    const db = tempDbPath()
    const a = new Guestbook({ dbPath: db.path, heartbeatMs: 0, pollMs: 5 })
    const b = new Guestbook({ dbPath: db.path, heartbeatMs: 0, pollMs: 5 })
    cleanups.push(() => {
      a.close()
      b.close()
      db.remove()
    })
    return [a, b]
  }

  it("pushes another worker's entry to this worker's streams, once", async () => {
    const [a, b] = open()
    const seen = collectIds(a)
    cleanups.push(seen.stop)
    const own = await post(a, 'from a')
    const other = await post(b, 'from b')
    await vi.waitFor(() => expect(seen.ids).toEqual([own, other]), { timeout: 2000, interval: 5 })
    const later = await post(b, 'again from b')
    await vi.waitFor(() => expect(seen.ids).toEqual([own, other, later]), { timeout: 2000, interval: 5 })
  })
})
