#!/usr/bin/env node
// A gateway app on node:http through `toNodeHandler`, against the same hello world written as a
// node:http handler, side by side: what running a TSGI app where Node handlers run costs.
//
//   node bench/to-node-handler.mjs [--rounds 3] [--duration 5] [--warmup 1]
//
// Each measurement starts a fresh server process (this script with `--serve native|gateway`)
// pinned to `--server-cpu` (0) and loads it with `wrk -t1 -c50` pinned to `--wrk-cpu` (1); the
// two sides alternate which goes first. Prints the median req/s of each side and their ratio.
// Needs `wrk`, `taskset` and `packages/adapters/dist` built.
import { spawn, spawnSync } from 'node:child_process'
import { once } from 'node:events'
import http from 'node:http'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'

const { values } = parseArgs({
  options: {
    serve: { type: 'string' },
    rounds: { type: 'string', default: '3' },
    duration: { type: 'string', default: '5' },
    warmup: { type: 'string', default: '1' },
    'server-cpu': { type: 'string', default: '0' },
    'wrk-cpu': { type: 'string', default: '1' },
  },
})

for (const name of ['rounds', 'duration', 'warmup']) {
  if (!/^[1-9]\d*$/.test(values[name]))
    fail(`--${name} must be a whole number of at least 1, not ${values[name]}`)
}
if (values.serve !== undefined && values.serve !== 'native' && values.serve !== 'gateway') {
  fail(`--serve must be native or gateway, not ${values.serve}`)
}

/** A one-line error and exit status 2, as for any bad option. */
function fail(message) {
  console.error(`to-node-handler: ${message}`)
  process.exit(2)
}

const BODY = Buffer.from('Hello, World!\n', 'latin1')
const LENGTH = String(BODY.length)

if (values.serve !== undefined) await serve(values.serve)
else await compare()

/** One server: the node:http handler, or the gateway app through `toNodeHandler`. */
async function serve(side) {
  let handler
  if (side === 'native') {
    handler = (_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/plain', 'Content-Length': LENGTH })
      res.end(BODY)
    }
  } else {
    const { toNodeHandler } = await import('../packages/adapters/dist/index.js')
    handler = toNodeHandler((_environ, startResponse) => {
      startResponse('200 OK', [
        ['Content-Type', 'text/plain'],
        ['Content-Length', LENGTH],
      ])
      return [BODY]
    })
  }
  const server = http.createServer(handler)
  server.listen(0, '127.0.0.1', () => console.log(`listening http://127.0.0.1:${server.address().port}`))
}

async function measure(side) {
  const script = fileURLToPath(import.meta.url)
  const child = spawn('taskset', ['-c', values['server-cpu'], process.execPath, script, '--serve', side], {
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  try {
    let output = ''
    let url
    for await (const chunk of child.stdout) {
      output += chunk
      url = /listening (\S+)/.exec(output)?.[1]
      if (url) break
    }
    if (!url) throw new Error(`the ${side} server exited before listening`)
    wrk(url, values.warmup)
    return wrk(url, values.duration)
  } finally {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill()
      await once(child, 'exit')
    }
  }
}

function wrk(url, seconds) {
  const args = ['-c', values['wrk-cpu'], 'wrk', '-t1', '-c50', `-d${seconds}s`, `${url}/`]
  const run = spawnSync('taskset', args, { encoding: 'utf8' })
  const rps = /Requests\/sec:\s+([\d.]+)/.exec(run.stdout)
  const errors = /Non-2xx or 3xx responses: \d+|Socket errors: .*/.exec(run.stdout)
  if (!rps || errors) throw new Error(`wrk: ${errors?.[0] ?? run.stdout + run.stderr}`)
  return Number(rps[1])
}

async function compare() {
  const runs = { native: [], gateway: [] }
  for (let round = 0; round < Number(values.rounds); round++) {
    const order = round % 2 === 0 ? ['native', 'gateway'] : ['gateway', 'native']
    for (const side of order) {
      const rps = await measure(side)
      runs[side].push(rps)
      console.error(`  ${side} round ${round + 1}: ${rps.toFixed(0)} req/s`)
    }
  }
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
  const native = median(runs.native)
  const gateway = median(runs.gateway)
  console.log(`Node ${process.versions.node}, hello world, wrk -t1 -c50, median of ${values.rounds} rounds`)
  console.log('| node:http handler req/s | gateway app via toNodeHandler req/s | ratio |')
  console.log('| ---: | ---: | ---: |')
  console.log(`| ${native.toFixed(0)} | ${gateway.toFixed(0)} | ${(gateway / native).toFixed(2)} |`)
}
