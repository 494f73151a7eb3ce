#!/usr/bin/env node
// What one runtime `Response` per request costs a server, with no gateway involved: the same
// node:http hello world, once as it is and once making `new Response('Hello, World!')` per
// request and dropping it, which is what a Hono handler's `c.text()` does (Hono's own host,
// `@hono/node-server`, swaps the global `Response` for a lighter one; tsgi's adapters never
// replace globals, so `fromHono` gets the runtime's). Side by side in one run, alternating, each
// measurement a fresh process pinned to --server-cpu under `wrk -t1` on --wrk-cpu; prints req/s
// and peak RSS (VmHWM) per side and their ratios.
//
//   node bench/runtime-response.mjs [--rounds 3] [--duration 5] [--connections 50]
//
// Needs `wrk` and `taskset`.
import { spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import http from 'node:http'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { startPinnedServer } from './lib/pinned-server.mjs'

const SIDES = ['plain', 'response']

if (SIDES.includes(process.argv[2])) {
  // The server process: `node runtime-response.mjs <side>`.
  const makeResponse = process.argv[2] === 'response'
  const server = http.createServer((_req, res) => {
    if (makeResponse) new Response('Hello, World!')
    res.setHeader('Content-Type', 'text/plain')
    res.end('Hello, World!')
  })
  server.listen(0, '127.0.0.1', () => console.log(`listening http://127.0.0.1:${server.address().port}`))
} else {
  const usage = (problem) => {
    console.error(`runtime-response: ${problem}`)
    process.exit(2)
  }
  let values
  try {
    ;({ values } = parseArgs({
      options: {
        rounds: { type: 'string', default: '3' },
        duration: { type: 'string', default: '5' },
        connections: { type: 'string', default: '50' },
        'server-cpu': { type: 'string', default: '0' },
        'wrk-cpu': { type: 'string', default: '1' },
      },
    }))
  } catch (error) {
    usage(error.message)
  }
  for (const [name, value] of Object.entries(values)) {
    const cpu = name.endsWith('cpu')
    if (!/^\d+$/.test(value) || (!cpu && value === '0'))
      usage(`--${name} must be a whole number${cpu ? '' : ' above 0'}, got ${value}`)
  }
  const results = { plain: [], response: [] }
  for (let round = 0; round < Number(values.rounds); round++) {
    for (const side of round % 2 === 0 ? SIDES : [...SIDES].reverse()) {
      const result = await measure(side)
      results[side].push(result)
      console.error(
        `  ${side} round ${round + 1}: ${result.rps.toFixed(0)} req/s, peak RSS ${result.peak.toFixed(1)} MiB`,
      )
    }
  }
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
  const rps = (side) => median(results[side].map((r) => r.rps))
  const peak = (side) => median(results[side].map((r) => r.peak))
  console.log(`Node ${process.versions.node}`)
  console.log('| server | req/s | peak RSS MiB |')
  console.log('| --- | ---: | ---: |')
  console.log(`| node:http hello | ${rps('plain').toFixed(0)} | ${peak('plain').toFixed(1)} |`)
  console.log(
    `| the same, one \`new Response()\` per request | ${rps('response').toFixed(0)} | ${peak('response').toFixed(1)} |`,
  )
  console.log(
    `| ratio | ${(rps('response') / rps('plain')).toFixed(2)} | ${(peak('response') / peak('plain')).toFixed(2)} |`,
  )

  async function measure(side) {
    const script = fileURLToPath(import.meta.url)
    const server = await startPinnedServer([script, side], values['server-cpu'])
    try {
      wrk(server.url, 1)
      const run = wrk(server.url, Number(values.duration))
      const status = readFileSync(`/proc/${server.child.pid}/status`, 'utf8')
      return { rps: run, peak: Number(/^VmHWM:\s+(\d+) kB/m.exec(status)[1]) / 1024 }
    } finally {
      await server.stop()
    }
  }

  function wrk(url, seconds) {
    const args = [
      '-c',
      values['wrk-cpu'],
      'wrk',
      '-t1',
      `-c${values.connections}`,
      `-d${seconds}s`,
      `${url}/`,
    ]
    const run = spawnSync('taskset', args, { encoding: 'utf8' })
    const rps = /Requests\/sec:\s+([\d.]+)/.exec(run.stdout)
    if (!rps) throw new Error(`wrk failed: ${run.stdout}${run.stderr}`)
    return Number(rps[1])
  }
}
