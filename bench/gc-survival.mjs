#!/usr/bin/env node
// How much of the young generation outlives a scavenge, under load: the hello world of
// bench/server.mjs (apps/hello on tsgi, bench/node-hello.mjs on node:http) and each app of
// bench/adapters-server.mjs (natively and through tsgi) run with V8's --trace-gc-nvp while wrk
// loads them (GET /, or with `--scenario json-64k` the 64 KiB JSON POST of bench/adapters.mjs),
// and the script reports, per server, the median share of the young
// generation that survived each scavenge (copied within it or promoted out of it, V8's
// `new_space_survive_rate_` plus `promotion_ratio`) and the bytes promoted to the old one.
//
//   node bench/gc-survival.mjs [--only hello,express,koa,hono] [--scenario hello|json-64k]
//                              [--duration 4] [--semi-space 1]
//
// A request's objects should all be dead by the next scavenge, as on node:http (1 to 2%).
// A share in the tens of percent means something keeps finished requests reachable until a full
// GC: docs/benchmarks.md, "Per-request objects" and "Objects that outlive a scavenge", tells
// what this found.
// wrk runs asynchronously: a server whose trace pipe is not drained stalls on writing it.
// The young generation is pinned to `--semi-space` MiB (--min/--max-semi-space-size), so every
// server is compared at the same size: V8 grows it when much survives, which hides the share.
// Needs `wrk` and `taskset`, and `packages/adapters/dist` plus `packages/server/dist` built.
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'

const { values } = parseArgs({
  options: {
    only: { type: 'string', default: 'hello,express,koa,hono' },
    scenario: { type: 'string', default: 'hello' },
    duration: { type: 'string', default: '4' },
    warmup: { type: 'string', default: '1' },
    'semi-space': { type: 'string', default: '1' },
    'server-cpu': { type: 'string', default: '0' },
    'wrk-cpu': { type: 'string', default: '1' },
  },
})
const here = (file) => fileURLToPath(new URL(file, import.meta.url))
const semi = values['semi-space']
const SCENARIOS = {
  hello: [],
  // The POST sets its own path (/json); the hello world of bench/server.mjs does not serve it.
  'json-64k': ['-s', here('./adapters-post.lua')],
}
const scenario = SCENARIOS[values.scenario]
if (!scenario) {
  console.error(`gc-survival: --scenario must be one of ${Object.keys(SCENARIOS).join(', ')}`)
  process.exit(2)
}
const frameworks = values.only.split(',')
if (values.scenario !== 'hello' && frameworks.includes('hello')) {
  console.error('gc-survival: the hello app serves GET / only: leave it out of --only for json-64k')
  process.exit(2)
}

/** The script and arguments of one server. */
function command(framework, side) {
  if (framework !== 'hello') return [here('./adapters-server.mjs'), framework, side]
  if (side === 'native') return [here('./node-hello.mjs')]
  const app = here('../apps/hello/src/app.ts')
  const serve = ['serve', app, '--bind', '127.0.0.1:0', '--no-access-log', '--no-server-header']
  // One process: cluster workers would not inherit the trace flags (WEB_CONCURRENCY may be set).
  return [here('../packages/server/bin/tsgi.js'), ...serve, '--workers', '1']
}

async function start(framework, side) {
  const flags = ['--trace-gc-nvp', `--min-semi-space-size=${semi}`, `--max-semi-space-size=${semi}`]
  // stdbuf: V8 prints the trace with printf, which a pipe would hold back in blocks.
  const args = [
    '-c',
    values['server-cpu'],
    'stdbuf',
    '-oL',
    process.execPath,
    ...flags,
    ...command(framework, side),
  ]
  const child = spawn('taskset', args, {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NODE_ENV: 'production' },
  })
  const exited = once(child, 'exit').then(([code, signal]) => {
    throw new Error(`${framework}/${side} server exited (${signal ?? `code ${code}`})`)
  })
  exited.catch(() => {})
  const lines = []
  let listening
  const url = new Promise((resolve) => {
    listening = resolve
  })
  // The trace goes to stdout; servers say where they listen on either stream.
  for (const stream of [child.stdout, child.stderr]) {
    let pending = ''
    stream.setEncoding('utf8')
    stream.on('data', (text) => {
      pending += text
      const parts = pending.split('\n')
      pending = parts.pop()
      for (const line of parts) {
        const match = /listening (?:on )?(http:\/\/[^\s,]+)/.exec(line)
        if (match) listening(match[1])
        else if (line.includes('gc=s ')) lines.push(line)
      }
    })
  }
  const timeout = new Promise((_, reject) =>
    setTimeout(reject, 30_000, new Error(`${framework}/${side}: not listening after 30 s`)).unref(),
  )
  try {
    return { child, url: await Promise.race([url, exited, timeout]), lines, exited }
  } catch (error) {
    stop(child)
    throw error
  }
}

function stop(child) {
  if (child.exitCode === null && child.signalCode === null) child.kill()
}

/** Runs wrk without blocking this process, which must keep draining the servers' trace pipes. */
async function load(url, seconds) {
  const args = ['-c', values['wrk-cpu'], 'wrk', '-t1', '-c50', `-d${seconds}s`, ...scenario, `${url}/`]
  const wrk = spawn('taskset', args, { stdio: ['ignore', 'pipe', 'inherit'] })
  let output = ''
  wrk.stdout.setEncoding('utf8')
  wrk.stdout.on('data', (text) => {
    output += text
  })
  await once(wrk, 'close')
  const rps = /Requests\/sec:\s+([\d.]+)/.exec(output)
  const errors = /Non-2xx or 3xx responses: \d+|Socket errors: .*/.exec(output)
  if (!rps || errors) throw new Error(`wrk: ${errors?.[0] ?? output}`)
  return Number(rps[1])
}

const field = (line, name) => Number(new RegExp(`\\b${name}=([\\d.]+)`).exec(line)?.[1] ?? Number.NaN)
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b)
  return s.length === 0 ? Number.NaN : s[Math.floor(s.length / 2)]
}

async function measure(framework, side) {
  const { child, url, lines, exited } = await start(framework, side)
  try {
    await Promise.race([load(url, values.warmup), exited])
    const from = lines.length
    const rps = await Promise.race([load(url, values.duration), exited])
    const measured = lines.slice(from)
    return {
      rps,
      scavenges: measured.length,
      survived: median(
        measured.map((line) => field(line, 'new_space_survive_rate_') + field(line, 'promotion_ratio')),
      ),
      promotedKiB: median(measured.map((line) => field(line, 'promoted'))) / 1024,
    }
  } finally {
    stop(child)
  }
}

const described = values.scenario === 'hello' ? 'GET /' : 'POST /json, 64 KiB of JSON'
console.log(
  `Node ${process.versions.node}, young generation pinned to ${semi} MiB per semi-space, ${described}`,
)
console.log(
  '| app | host | req/s | scavenges | survived a scavenge: copied + promoted (median) | promoted per scavenge (median) |',
)
console.log('| --- | --- | ---: | ---: | ---: | ---: |')
const hosts = { hello: 'node:http', express: 'node:http', koa: 'node:http', hono: '@hono/node-server' }
for (const framework of frameworks) {
  for (const side of ['native', 'tsgi']) {
    const r = await measure(framework, side)
    const host = side === 'tsgi' ? 'tsgi' : hosts[framework]
    console.log(
      `| ${framework} | ${host} | ${r.rps.toFixed(0)} | ${r.scavenges} | ${r.survived.toFixed(1)}% | ${r.promotedKiB.toFixed(1)} KiB |`,
    )
  }
}
