#!/usr/bin/env node
// Adapters benchmark: each framework app served natively (Express and Koa on node:http,
// Hono on @hono/node-server) and through tsgi (`serve(adapt(app))` from @tsgi/server),
// side by side in one run. For every (framework, scenario) pair the two sides alternate
// for ROUNDS rounds; the figures are the ratios of the medians (requests/s tsgi/native, and
// server CPU per request native/tsgi: above 1.0 means tsgi is faster either way).
//
//   node bench/adapters.mjs [--rounds 3] [--duration 5] [--connections 50] [--only express,koa,hono]
//
// The server is pinned to CPU 0 and wrk to CPU 1 (taskset), so they never compete for a core.
// Besides requests/s it reports the server's CPU time per request (utime + stime from
// /proc/<pid>/stat around the measured wrk run): on a machine shared with other jobs, req/s
// swings with what else runs on the core, CPU per request much less.
// Needs `wrk`, and `packages/adapters/dist` plus `packages/server/dist` built.
import { spawn, spawnSync } from 'node:child_process'
import { once } from 'node:events'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'

const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '3' },
    duration: { type: 'string', default: '5' },
    warmup: { type: 'string', default: '1' },
    connections: { type: 'string', default: '50' },
    only: { type: 'string', default: 'express,koa,hono' },
    'server-cpu': { type: 'string', default: '0' },
    'wrk-cpu': { type: 'string', default: '1' },
  },
})
const ROUNDS = Number(values.rounds)
const here = (file) => fileURLToPath(new URL(file, import.meta.url))
const SCENARIOS = [
  { name: 'hello', args: [] },
  { name: 'json-64k', args: ['-s', here('./adapters-post.lua')] },
]
const NATIVE = { express: 'node:http', koa: 'node:http', hono: '@hono/node-server' }

async function startServer(framework, side) {
  const child = spawn(
    'taskset',
    ['-c', values['server-cpu'], process.execPath, here('./adapters-server.mjs'), framework, side],
    { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, NODE_ENV: 'production' } },
  )
  let output = ''
  for await (const chunk of child.stdout) {
    output += chunk
    const match = /listening (\S+)/.exec(output)
    if (match) return { child, url: match[1] }
  }
  throw new Error(`${framework}/${side} server exited before listening`)
}

function wrk(url, scenario, seconds) {
  const args = [
    '-c',
    values['wrk-cpu'],
    'wrk',
    '-t1',
    `-c${values.connections}`,
    `-d${seconds}s`,
    ...scenario.args,
    `${url}/`,
  ]
  const run = spawnSync('taskset', args, { encoding: 'utf8' })
  const rps = /Requests\/sec:\s+([\d.]+)/.exec(run.stdout)
  const count = /(\d+) requests in/.exec(run.stdout)
  const errors = /Non-2xx or 3xx responses: (\d+)|Socket errors: (.*)/.exec(run.stdout)
  if (!rps) throw new Error(`wrk failed: ${run.stdout}${run.stderr}`)
  return { rps: Number(rps[1]), requests: Number(count?.[1] ?? 0), errors: errors ? errors[0] : '' }
}

/** CPU seconds (user + system) the process used so far, from /proc/<pid>/stat. */
function cpuSeconds(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  // Fields 14 and 15 of stat(5) are utime and stime, in clock ticks (USER_HZ, 100 on Linux).
  return (Number(fields[11]) + Number(fields[12])) / 100
}

async function measure(framework, side, scenario) {
  const { child, url } = await startServer(framework, side)
  try {
    wrk(url, scenario, values.warmup)
    const before = cpuSeconds(child.pid)
    const result = wrk(url, scenario, values.duration)
    const cpuUs = ((cpuSeconds(child.pid) - before) * 1e6) / Math.max(result.requests, 1)
    return { ...result, cpuUs }
  } finally {
    child.kill()
    await once(child, 'exit')
  }
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b)
  const m = Math.floor(s.length / 2)
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2
}

const rows = []
for (const framework of values.only.split(',')) {
  for (const scenario of SCENARIOS) {
    const runs = { native: [], tsgi: [] }
    const cpu = { native: [], tsgi: [] }
    for (let round = 0; round < ROUNDS; round++) {
      // Alternate which side goes first, so drift on a shared machine hits both equally.
      const order = round % 2 === 0 ? ['native', 'tsgi'] : ['tsgi', 'native']
      for (const side of order) {
        const result = await measure(framework, side, scenario)
        if (result.errors) console.error(`  ${framework}/${scenario.name}/${side}: ${result.errors}`)
        runs[side].push(result.rps)
        cpu[side].push(result.cpuUs)
        console.error(
          `  ${framework} ${scenario.name} ${side} round ${round + 1}: ${result.rps.toFixed(0)} req/s, ${result.cpuUs.toFixed(1)} us CPU/request`,
        )
      }
    }
    const native = median(runs.native)
    const tsgi = median(runs.tsgi)
    const nativeCpu = median(cpu.native)
    const tsgiCpu = median(cpu.tsgi)
    rows.push({
      framework,
      scenario: scenario.name,
      native,
      tsgi,
      ratio: tsgi / native,
      nativeCpu,
      tsgiCpu,
      cpuRatio: nativeCpu / tsgiCpu,
    })
  }
}

console.log(
  '| app | scenario | native host | native req/s | tsgi req/s | ratio tsgi/native | native µs CPU/req | tsgi µs CPU/req | CPU ratio native/tsgi |',
)
console.log('| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |')
for (const r of rows) {
  const cells = [r.native.toFixed(0), r.tsgi.toFixed(0), r.ratio.toFixed(2)]
  cells.push(r.nativeCpu.toFixed(1), r.tsgiCpu.toFixed(1), r.cpuRatio.toFixed(2))
  console.log(`| ${r.framework} | ${r.scenario} | ${NATIVE[r.framework]} | ${cells.join(' | ')} |`)
}
