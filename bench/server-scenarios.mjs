#!/usr/bin/env node
// The server beyond the hello world: the same answers from node:http and from a gateway app on
// the tsgi server, side by side in one run, for the ways an app answers that `server.mjs` does
// not exercise:
//
//   stream-generator  8 chunks of 1 KiB from an async generator (chunked; node:http: 8 res.write)
//   stream-write      the same 8 chunks through awaited write() calls
//   unread-upload     a 64 KiB POST answered without reading it (a 401, a redirect)
//   connection-close  a hello world with `Connection: close`: a new connection per request
//
//   node bench/server-scenarios.mjs [--only a,b] [--rounds 3] [--duration 4] [--connections 50]
//
// Each measurement is a fresh server process (this script, as `serve <side>`) pinned to
// --server-cpu under `wrk -t1` on --wrk-cpu, after a 1 s warm-up; the sides alternate which goes
// first. Prints the median req/s and server CPU per request (utime + stime from /proc) of each
// side, and the ratios tsgi / node:http (above 1.0, tsgi is faster). Needs `wrk`, `taskset` and
// `packages/server/dist` built.
import { spawnSync } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import http from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { cpuSeconds, startPinnedServer } from './lib/pinned-server.mjs'

const CHUNK = Buffer.alloc(1024, 'x')
const CHUNKS = 8
const HELLO = Buffer.from('Hello, World!\n')

const SCENARIOS = {
  'stream-generator': { path: '/stream-generator' },
  'stream-write': { path: '/stream-write' },
  'unread-upload': { path: '/unread', lua: `wrk.method = 'POST'\nwrk.body = string.rep('x', 65536)\n` },
  'connection-close': { path: '/', lua: `wrk.headers['Connection'] = 'close'\n` },
}

/** node:http's side: what an app on node:http writes for each scenario. */
function nodeHandler(req, res) {
  if (req.url.startsWith('/stream-')) {
    res.setHeader('Content-Type', 'text/plain')
    for (let i = 0; i < CHUNKS; i++) res.write(CHUNK)
    res.end()
    return
  }
  res.writeHead(200, { 'Content-Type': 'text/plain', 'Content-Length': String(HELLO.length) })
  res.end(HELLO)
}

/** The gateway app's side, answering the same. */
async function gatewayApp(environ, startResponse) {
  const path = environ.PATH_INFO
  if (path === '/stream-generator') {
    startResponse('200 OK', [['Content-Type', 'text/plain']])
    return (async function* () {
      for (let i = 0; i < CHUNKS; i++) yield CHUNK
    })()
  }
  if (path === '/stream-write') {
    const write = startResponse('200 OK', [['Content-Type', 'text/plain']])
    for (let i = 0; i < CHUNKS; i++) await write(CHUNK)
    return []
  }
  startResponse('200 OK', [
    ['Content-Type', 'text/plain'],
    ['Content-Length', String(HELLO.length)],
  ])
  return [HELLO]
}

if (process.argv[2] === 'serve') {
  // A server process: `node server-scenarios.mjs serve <node|tsgi>`; prints `listening <url>`.
  if (process.argv[3] === 'node') {
    const server = http.createServer(nodeHandler)
    server.listen(0, '127.0.0.1', () => console.log(`listening http://127.0.0.1:${server.address().port}`))
  } else {
    const root = new URL('../packages/server/dist/index.js', import.meta.url)
    const { serve } = await import(root.href)
    const server = await serve(gatewayApp, { bind: ['127.0.0.1:0'], accessLog: false, serverHeader: false })
    console.log(`listening ${server.address}`)
  }
} else {
  await compare()
}

async function compare() {
  const usage = (problem) => {
    console.error(`server-scenarios: ${problem}`)
    process.exit(2)
  }
  let values
  try {
    ;({ values } = parseArgs({
      options: {
        only: { type: 'string', default: Object.keys(SCENARIOS).join(',') },
        rounds: { type: 'string', default: '3' },
        duration: { type: 'string', default: '4' },
        connections: { type: 'string', default: '50' },
        'server-cpu': { type: 'string', default: '0' },
        'wrk-cpu': { type: 'string', default: '1' },
      },
    }))
  } catch (error) {
    usage(error.message)
  }
  for (const name of ['rounds', 'duration', 'connections', 'server-cpu', 'wrk-cpu']) {
    const cpu = name.endsWith('cpu')
    if (!/^\d+$/.test(values[name]) || (!cpu && values[name] === '0'))
      usage(`--${name} must be a whole number${cpu ? '' : ' above 0'}, got ${values[name]}`)
  }
  const only = values.only.split(',')
  for (const name of only) if (!(name in SCENARIOS)) usage(`unknown scenario ${name}`)

  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
  const rows = []
  for (const name of only) {
    const runs = { node: [], tsgi: [] }
    for (let round = 0; round < Number(values.rounds); round++) {
      for (const side of round % 2 === 0 ? ['node', 'tsgi'] : ['tsgi', 'node']) {
        const result = await measure(side, SCENARIOS[name], values)
        runs[side].push(result)
        console.error(
          `  ${name} ${side} round ${round + 1}: ${result.rps.toFixed(0)} req/s, ${result.cpuUs.toFixed(1)} us CPU/request`,
        )
      }
    }
    const rps = (side) => median(runs[side].map((r) => r.rps))
    const cpu = (side) => median(runs[side].map((r) => r.cpuUs))
    rows.push([name, rps('node'), rps('tsgi'), cpu('node'), cpu('tsgi')])
  }
  console.log(`Node ${process.versions.node}`)
  console.log(
    '| scenario | node:http req/s | tsgi req/s | ratio | node:http µs CPU/req | tsgi µs CPU/req | CPU ratio node/tsgi |',
  )
  console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: |')
  for (const [name, nodeRps, tsgiRps, nodeCpu, tsgiCpu] of rows) {
    const cells = [nodeRps.toFixed(0), tsgiRps.toFixed(0), (tsgiRps / nodeRps).toFixed(2)]
    cells.push(nodeCpu.toFixed(1), tsgiCpu.toFixed(1), (nodeCpu / tsgiCpu).toFixed(2))
    console.log(`| ${name} | ${cells.join(' | ')} |`)
  }
}

async function measure(side, scenario, values) {
  const script = fileURLToPath(import.meta.url)
  const server = await startPinnedServer([script, 'serve', side], values['server-cpu'])
  try {
    const target = `${server.url}${scenario.path}`
    wrk(target, scenario, 1, values)
    const before = cpuSeconds(server.child.pid)
    const run = wrk(target, scenario, Number(values.duration), values)
    const cpuUs = ((cpuSeconds(server.child.pid) - before) * 1e6) / Math.max(run.requests, 1)
    return { rps: run.rps, cpuUs }
  } finally {
    await server.stop()
  }
}

function wrk(url, scenario, seconds, values) {
  const args = ['-c', values['wrk-cpu'], 'wrk', '-t1', `-c${values.connections}`, `-d${seconds}s`]
  if (scenario.lua) {
    const file = join(tmpdir(), `tsgi-server-scenario-${process.pid}.lua`)
    writeFileSync(file, scenario.lua)
    args.push('-s', file)
  }
  const run = spawnSync('taskset', [...args, url], { encoding: 'utf8' })
  const rps = /Requests\/sec:\s+([\d.]+)/.exec(run.stdout)
  const count = /(\d+) requests in/.exec(run.stdout)
  if (!rps || /Non-2xx|Socket errors: connect [1-9]/.test(run.stdout)) {
    throw new Error(`wrk failed or got errors: ${run.stdout}${run.stderr}`)
  }
  return { rps: Number(rps[1]), requests: Number(count?.[1] ?? 0) }
}
