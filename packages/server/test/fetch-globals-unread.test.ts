import { execFile } from 'node:child_process'
import { createRequire } from 'node:module'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { promisify } from 'node:util'
import { expect, it } from 'vitest'

const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href
const PROBE = fileURLToPath(new URL('./fixtures/fetch-globals-probe.ts', import.meta.url))

it('hosts apps of the Node bridge (Express, Koa) without reading the fetch globals, which load undici', async () => {
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', TSX, PROBE])
  const probe = JSON.parse(stdout) as { statuses: string[]; nodeBridge: string[]; fetchBridge: string[] }
  expect(probe.statuses).toEqual(['HTTP/1.1 200 OK', 'HTTP/1.1 200 OK', 'HTTP/1.1 200 OK'])
  expect(probe.nodeBridge).toEqual([])
  // The control: the probe sees the reads of the fetch bridge, which needs a `Request`.
  expect(probe.fetchBridge).toContain('Request')
}, 30_000)
