import { readdirSync, readFileSync } from 'node:fs'
import net from 'node:net'
import { join } from 'node:path'
import type { App } from '@tsgi/core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Limits } from '../src/limits.ts'
import type { TsgiServer } from '../src/server-options.ts'
import { normalize, start } from './helpers/raw-client.ts'

// A connection finds a head that arrived whole by decoding the buffered bytes once and searching
// the text; a head that arrives in pieces goes through the incremental scanner. Every request
// fixture, valid or not, must get the same bytes back either way.
const DIR = join(import.meta.dirname, 'requests')

/** Echoes what the app saw: method, target, every header and the body. */
const echo: App = async (environ, startResponse) => {
  const body = Buffer.from(await environ['tsgi.input'].read()).toString('latin1')
  const fields = Object.keys(environ)
    .filter((key) => key.startsWith('HTTP_') || key.startsWith('CONTENT_'))
    .sort()
    .map((key) => `${key}=${environ[key]}`)
  startResponse('200 OK', [['Content-Type', 'text/plain']])
  return [
    Buffer.from(`${environ.REQUEST_METHOD} ${environ.RAW_URI}\n${fields.join('\n')}\n${body}`, 'latin1'),
  ]
}

/** Sends `raw` whole or a byte per segment, half-closes, and returns all the server answered. */
async function exchange(port: number, raw: Buffer, perByte: boolean): Promise<string> {
  const socket = net.connect(port, '127.0.0.1')
  socket.setNoDelay(true)
  const chunks: Buffer[] = []
  socket.on('data', (chunk: Buffer) => chunks.push(chunk))
  const closed = new Promise((resolve) => socket.on('close', resolve))
  socket.on('error', () => {})
  await new Promise((resolve) => socket.on('connect', resolve))
  if (perByte) {
    for (const byte of raw) {
      socket.write(Buffer.of(byte))
      await new Promise((resolve) => setImmediate(resolve))
    }
  } else {
    socket.write(raw)
  }
  socket.end()
  await closed
  return normalize(Buffer.concat(chunks).toString('latin1'))
}

const servers = new Map<string, TsgiServer & { port: number }>()
async function serverFor(limits: Partial<Limits> | undefined): Promise<number> {
  const key = JSON.stringify(limits ?? {})
  let server = servers.get(key)
  if (!server) {
    const s = await start(echo, { limits })
    server = Object.assign(s.server, { port: s.port })
    servers.set(key, server)
  }
  return server.port
}

beforeAll(() => servers.clear())
afterAll(async () => {
  for (const server of servers.values()) await server.close()
})

describe('a head found whole and a head scanned in pieces', () => {
  for (const kind of ['valid', 'invalid']) {
    for (const file of readdirSync(join(DIR, kind)).filter((f) => f.endsWith('.http'))) {
      it(`answer ${kind}/${file} alike`, async () => {
        const raw = readFileSync(join(DIR, kind, file))
        const expected = JSON.parse(readFileSync(join(DIR, kind, file.replace(/\.http$/, '.json')), 'utf8'))
        const port = await serverFor(expected.limits)
        const whole = await exchange(port, raw, false)
        const pieces = await exchange(port, raw, true)
        expect(whole).toMatch(/^HTTP\/1\.1 \d{3} /)
        expect(pieces).toBe(whole)
      })
    }
  }
})
