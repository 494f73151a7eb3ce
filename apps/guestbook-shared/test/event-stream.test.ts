import { describe, expect, it } from 'vitest'
import { Broadcaster, EntryEventStream } from '../src/index.ts'

const text = (chunk: Uint8Array | undefined): string => new TextDecoder().decode(chunk)
const entry = { id: 3, name: 'Ada', message: 'Hi', createdAt: 0 }

describe('EntryEventStream', () => {
  it('sends a first comment, replayed entries, then published ones', async () => {
    const broadcaster = new Broadcaster()
    const stream = new EntryEventStream(broadcaster, { replay: [{ ...entry, id: 2 }], heartbeatMs: 0 })
    expect(text((await stream.next()).value)).toBe(': connected\n\n')
    expect(text((await stream.next()).value)).toMatch(/^id: 2\nevent: entry\ndata: \{"id":2,/)
    const pending = stream.next()
    broadcaster.publish(entry)
    expect(text((await pending).value)).toBe(
      'id: 3\nevent: entry\ndata: {"id":3,"name":"Ada","message":"Hi","createdAt":"1970-01-01T00:00:00.000Z"}\n\n',
    )
  })

  it('unsubscribes and ends a pending read when the signal aborts', async () => {
    const broadcaster = new Broadcaster()
    const controller = new AbortController()
    const stream = new EntryEventStream(broadcaster, { signal: controller.signal, heartbeatMs: 0 })
    await stream.next()
    expect(broadcaster.size).toBe(1)
    const pending = stream.next()
    controller.abort()
    expect(await pending).toEqual({ value: undefined, done: true })
    expect(broadcaster.size).toBe(0)
  })

  it('ends at once on return(), as for-await does on break', async () => {
    const broadcaster = new Broadcaster()
    for await (const _ of new EntryEventStream(broadcaster, { heartbeatMs: 0 })) break
    expect(broadcaster.size).toBe(0)
  })

  it('sends heartbeat comments', async () => {
    const stream = new EntryEventStream(new Broadcaster(), { heartbeatMs: 5 })
    await stream.next()
    expect(text((await stream.next()).value)).toBe(': ping\n\n')
    stream.close()
  })
})
