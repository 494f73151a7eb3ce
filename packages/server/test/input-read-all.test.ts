import type { App } from '@tsgi/core'
import { afterEach, describe, expect, it } from 'vitest'
import type { TsgiServer } from '../src/server-options.ts'
import { roundTrip, start } from './helpers/raw-client.ts'

let server: TsgiServer | undefined
afterEach(async () => {
  await server?.close()
  server = undefined
})

/** Answers the byte count of what one call of `read` or `readline` returned. */
const lengthOf =
  (how: 'read' | 'readline'): App =>
  async (environ, startResponse) => {
    const input = environ['tsgi.input']
    const bytes = how === 'read' ? await input.read() : await input.readline()
    startResponse('200 OK', [])
    return [Buffer.from(String(bytes.length))]
  }

describe('tsgi.input beyond the high-water mark', () => {
  it.each([1_000, 65_536, 200_000, 1 << 20])(
    'read() with no size returns a %i-byte body whole',
    async (size) => {
      const s = await start(lengthOf('read'))
      server = s.server
      const text = await roundTrip(
        s.port,
        `POST / HTTP/1.1\r\nHost: x\r\nContent-Length: ${size}\r\nConnection: close\r\n\r\n${'a'.repeat(size)}`,
      )
      expect(text.slice(text.indexOf('\r\n\r\n') + 4)).toBe(String(size))
    },
  )

  it('readline() returns a line longer than the high-water mark', async () => {
    const s = await start(lengthOf('readline'))
    server = s.server
    const line = 300_000
    const text = await roundTrip(
      s.port,
      `POST / HTTP/1.1\r\nHost: x\r\nContent-Length: ${line + 1}\r\nConnection: close\r\n\r\n${'a'.repeat(line)}\n`,
    )
    expect(text.slice(text.indexOf('\r\n\r\n') + 4)).toBe(String(line + 1))
  })
})
