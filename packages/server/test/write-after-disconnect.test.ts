import type { App } from '@tsgi/core'
import { afterEach, describe, expect, it } from 'vitest'
import type { TsgiServer } from '../src/server-options.ts'
import { deferred } from './helpers/apps.ts'
import { RawClient, start } from './helpers/raw-client.ts'

let server: TsgiServer | undefined
afterEach(async () => {
  await server?.close()
  server = undefined
})

describe('write() once the client is gone', () => {
  it('rejects with TSGI_CLIENT_DISCONNECTED, so a producer that awaits it stops', async () => {
    const stopped = deferred<string>()
    const errors: string[] = []
    const app: App = async (_environ, startResponse) => {
      const write = startResponse('200 OK', [['Content-Type', 'text/plain']])
      try {
        for (let i = 0; i < 10_000; i++) {
          await write(Buffer.from(`tick ${i}\n`))
          await new Promise((r) => setTimeout(r, 2))
        }
        stopped.resolve('never stopped')
      } catch (error) {
        stopped.resolve(String((error as { code?: string }).code))
        throw error
      }
      return []
    }
    const s = await start(app, { errorLog: (text) => errors.push(text) })
    server = s.server
    const client = await RawClient.connect(s.port)
    client.write('GET / HTTP/1.1\r\nHost: x\r\n\r\n')
    await new Promise((r) => setTimeout(r, 40)) // a few ticks are out
    client.socket.destroy()
    expect(await stopped.promise).toBe('TSGI_CLIENT_DISCONNECTED')
    // The server's own disconnect reason is not an app error.
    await new Promise((r) => setTimeout(r, 20))
    expect(errors.join('')).not.toMatch(/app error/i)
  })

  it('leaves no unhandled rejection when the app never awaits its writes', async () => {
    const done = deferred<void>()
    const unhandled: unknown[] = []
    const onUnhandled = (reason: unknown): void => {
      unhandled.push(reason)
    }
    process.on('unhandledRejection', onUnhandled)
    const app: App = async (environ, startResponse) => {
      const write = startResponse('200 OK', [])
      // Fire-and-forget writes, past the moment the client left (its socket needs a write or
      // two to report the reset), none of them awaited.
      for (let i = 0; i < 40; i++) {
        void write(Buffer.from(`tick ${i}\n`))
        await new Promise((r) => setTimeout(r, 5))
      }
      expect(environ['tsgi.signal']!.aborted).toBe(true)
      done.resolve()
      return []
    }
    const s = await start(app, { errorLog: () => {} })
    server = s.server
    const client = await RawClient.connect(s.port)
    client.write('GET / HTTP/1.1\r\nHost: x\r\n\r\n')
    await new Promise((r) => setTimeout(r, 20))
    client.socket.destroy()
    await done.promise
    await new Promise((r) => setTimeout(r, 20))
    process.off('unhandledRejection', onUnhandled)
    expect(unhandled).toEqual([])
  })
})
