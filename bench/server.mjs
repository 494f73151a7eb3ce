#!/usr/bin/env node
// Server benchmark: tsgi serving apps/hello against a node:http hello world with the same
// response, side by side in one run, then a memory check of 1 GiB up and down through tsgi.
// Run from the repository root after `turbo run build` (see bench/README.md):
//
//   node bench/server.mjs [--pairs 3] [--duration 10] [--connections 50] [--server-cpu 0] [--load-cpu 1]
//
// Each pair runs both servers once, in alternating order, each on a fresh process pinned to
// --server-cpu while wrk runs pinned to --load-cpu; keep-alive connections throughout. The
// figures are medians over the pairs; the ratio is tsgi/node:http of the median req/s.
import { execFileSync, spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import http from 'node:http'
import { parseArgs } from 'node:util'

const { values: opts } = parseArgs({
  options: {
    pairs: { type: 'string', default: '3' },
    duration: { type: 'string', default: '10' },
    warmup: { type: 'string', default: '3' },
    connections: { type: 'string', default: '50' },
    'server-cpu': { type: 'string', default: '0' },
    'load-cpu': { type: 'string', default: '1' },
    'memory-bytes': { type: 'string', default: String(1024 ** 3) },
    'skip-memory': { type: 'boolean', default: false },
  },
})

const TSGI = ['packages/server/bin/tsgi.js', 'serve', 'apps/hello/src/app.ts', '--bind', '127.0.0.1:0']
const SERVERS = {
  tsgi: [...TSGI, '--no-access-log', '--no-server-header'],
  'node:http': ['bench/node-hello.mjs'],
}

for (const tool of ['wrk', 'taskset']) {
  try {
    execFileSync('which', [tool], { stdio: 'ignore' })
  } catch {
    console.error(`bench: ${tool} not found (Debian: apt-get install wrk util-linux)`)
    process.exit(2)
  }
}

/** Starts a server pinned to the server CPU; resolves with its pid, URL and a stop(). */
async function start(args) {
  const child = spawn('taskset', ['-c', opts['server-cpu'], process.execPath, ...args], {
    stdio: ['ignore', 'ignore', 'pipe'],
  })
  let stderr = ''
  const url = await new Promise((resolve, reject) => {
    child.stderr.setEncoding('utf8')
    child.stderr.on('data', (text) => {
      stderr += text
      const match = /listening on (http:\/\/\S+?)[ ,\n]/.exec(stderr)
      if (match) resolve(match[1])
    })
    child.on('exit', (code) => reject(new Error(`${args[0]} exited ${code}: ${stderr}`)))
  })
  const stop = () =>
    new Promise((resolve) => {
      child.once('exit', resolve)
      child.kill('SIGTERM')
    })
  return { pid: child.pid, url, stop }
}

/** `1.23ms` / `456.00us` / `1.2s` -> milliseconds. */
function toMs(text) {
  const match = /^([\d.]+)(us|ms|s)$/.exec(text)
  if (!match) throw new Error(`bench: cannot read wrk latency ${text}`)
  return Number(match[1]) * { us: 0.001, ms: 1, s: 1000 }[match[2]]
}

const CLOCK_TICKS = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }))

/** CPU seconds `pid` has used (user + system, from /proc/<pid>/stat). */
function cpuSeconds(pid) {
  // The command name (field 2) may hold spaces: count fields from the closing parenthesis.
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ')
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS
}

/** Runs wrk pinned to the load CPU; resolves with req/s, p99 latency (ms) and requests. */
function wrk(url, seconds) {
  const args = [
    '-c',
    opts['load-cpu'],
    'wrk',
    '-t1',
    `-c${opts.connections}`,
    `-d${seconds}s`,
    '--latency',
    `${url}/`,
  ]
  const out = execFileSync('taskset', args, { encoding: 'utf8' })
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1])
  const p99 = toMs(/\s99%\s+(\S+)/.exec(out)?.[1] ?? '')
  const requests = Number(/(\d+) requests in/.exec(out)?.[1])
  const wrong = /Non-2xx or 3xx responses: (\d+)/.exec(out)
  if (wrong) throw new Error(`bench: wrong answers: ${wrong[0]}`)
  // Socket errors (wrk's 2 s timeouts, mostly) are reported, not fatal: on a busy machine
  // they say more about the machine than about the server.
  const socketErrors = /Socket errors: (.*)/.exec(out)?.[1]
  return { rps, p99, requests, socketErrors }
}

/** The raw response head of GET / (Date masked), to show both servers answer alike. */
function head(url) {
  return new Promise((resolve, reject) => {
    http
      .get(`${url}/`, (res) => {
        const lines = [`${res.statusCode}`]
        for (let i = 0; i < res.rawHeaders.length; i += 2) {
          const name = res.rawHeaders[i]
          lines.push(`${name}: ${name.toLowerCase() === 'date' ? '<date>' : res.rawHeaders[i + 1]}`)
        }
        res.resume()
        res.on('end', () => resolve(lines.join(' | ')))
      })
      .on('error', reject)
  })
}

const median = (list) => {
  const sorted = [...list].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}

async function measure(name) {
  const server = await start(SERVERS[name])
  try {
    wrk(server.url, Number(opts.warmup))
    const cpuBefore = cpuSeconds(server.pid)
    const result = wrk(server.url, Number(opts.duration))
    const cpu = cpuSeconds(server.pid) - cpuBefore
    // CPU per request holds up on a shared machine better than req/s: it ignores stolen time.
    result.cpuUs = (cpu / result.requests) * 1e6
    // How busy the server's CPU was: near 100% the server is the limit; well below it, the
    // load generator (one wrk thread on one core) or the machine was, and req/s says little
    // about the server.
    result.busy = cpu / Number(opts.duration)
    console.log(
      `  ${name.padEnd(10)} ${result.rps.toFixed(0).padStart(7)} req/s  p99 ${result.p99.toFixed(2).padStart(7)} ms  ` +
        `${result.cpuUs.toFixed(2)} us CPU/request  server CPU ${(result.busy * 100).toFixed(0)}% busy` +
        `${result.socketErrors ? `  (socket errors: ${result.socketErrors})` : ''}`,
    )
    return result
  } finally {
    await server.stop()
  }
}

async function throughput() {
  const results = { tsgi: [], 'node:http': [] }
  for (const name of Object.keys(SERVERS)) {
    const server = await start(SERVERS[name])
    console.log(`${name} response: ${await head(server.url)}`)
    await server.stop()
  }
  for (let pair = 0; pair < Number(opts.pairs); pair++) {
    const order = pair % 2 === 0 ? ['tsgi', 'node:http'] : ['node:http', 'tsgi']
    console.log(`pair ${pair + 1}:`)
    for (const name of order) results[name].push(await measure(name))
  }
  const summary = Object.fromEntries(
    Object.entries(results).map(([name, runs]) => [
      name,
      {
        rps: median(runs.map((r) => r.rps)),
        p99: median(runs.map((r) => r.p99)),
        cpuUs: median(runs.map((r) => r.cpuUs)),
        busy: median(runs.map((r) => r.busy)),
      },
    ]),
  )
  const ratio = summary.tsgi.rps / summary['node:http'].rps
  console.log(
    `median req/s: tsgi ${summary.tsgi.rps.toFixed(0)}, node:http ${summary['node:http'].rps.toFixed(0)}; ` +
      `ratio ${ratio.toFixed(2)}x; median p99: tsgi ${summary.tsgi.p99.toFixed(2)} ms, ` +
      `node:http ${summary['node:http'].p99.toFixed(2)} ms; median CPU/request: tsgi ` +
      `${summary.tsgi.cpuUs.toFixed(2)} us, node:http ${summary['node:http'].cpuUs.toFixed(2)} us ` +
      `(node:http/tsgi ${(summary['node:http'].cpuUs / summary.tsgi.cpuUs).toFixed(2)}x)`,
  )
  // The req/s ratio only measures the servers when both were the bottleneck; say when not.
  const busy = (name) => `${name} ${(summary[name].busy * 100).toFixed(0)}%`
  const bound = Object.keys(summary).filter((name) => summary[name].busy < 0.9)
  console.log(
    `median server CPU busy: ${busy('tsgi')}, ${busy('node:http')}` +
      (bound.length > 0
        ? `; ${bound.join(' and ')} below 90%: the load generator (or the machine) capped its req/s, ` +
          'so the req/s ratio does not measure the servers; CPU per request is the comparison that holds'
        : ''),
  )
}

/** Resident set size of `pid`, in bytes (Linux /proc). */
function rss(pid) {
  const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]
  return Number(kb) * 1024
}

/** Samples the RSS of `pid` every 50 ms while `work()` runs; resolves with the peak. */
async function peakRss(pid, work) {
  let peak = rss(pid)
  const timer = setInterval(() => {
    peak = Math.max(peak, rss(pid))
  }, 50)
  try {
    await work()
  } finally {
    clearInterval(timer)
  }
  return Math.max(peak, rss(pid))
}

function upload(url, total) {
  return new Promise((resolve, reject) => {
    const chunk = Buffer.alloc(64 * 1024, 0x61)
    const req = http.request(
      `${url}/upload`,
      { method: 'PUT', headers: { 'content-length': total } },
      (res) => {
        let body = ''
        res.setEncoding('utf8')
        res.on('data', (text) => {
          body += text
        })
        res.on('end', () =>
          Number(body) === total ? resolve() : reject(new Error(`upload: server read ${body}`)),
        )
      },
    )
    req.on('error', reject)
    let sent = 0
    const pump = () => {
      while (sent < total) {
        const piece = total - sent >= chunk.length ? chunk : chunk.subarray(0, total - sent)
        sent += piece.length
        if (!req.write(piece)) return void req.once('drain', pump)
      }
      req.end()
    }
    pump()
  })
}

function download(url, total) {
  return new Promise((resolve, reject) => {
    http
      .get(`${url}/bytes?n=${total}`, (res) => {
        let received = 0
        res.on('data', (chunk) => {
          received += chunk.length
        })
        res.on('end', () => (received === total ? resolve() : reject(new Error(`download: got ${received}`))))
      })
      .on('error', reject)
  })
}

async function memory() {
  const total = Number(opts['memory-bytes'])
  const server = await start([
    'packages/server/bin/tsgi.js',
    'serve',
    'bench/stream-app.mjs',
    '--bind',
    '127.0.0.1:0',
    '--no-access-log',
  ])
  try {
    await download(server.url, 1024 * 1024) // warm the code paths before the baseline
    await upload(server.url, 1024 * 1024)
    const base = rss(server.pid)
    const mib = (bytes) => (bytes / 1024 / 1024).toFixed(1)
    for (const [name, work] of [
      ['upload', () => upload(server.url, total)],
      ['download', () => download(server.url, total)],
    ]) {
      const started = performance.now()
      const peak = await peakRss(server.pid, work)
      const seconds = (performance.now() - started) / 1000
      console.log(
        `${name} ${mib(total)} MiB in ${seconds.toFixed(1)} s: RSS ${mib(base)} -> peak ${mib(peak)} MiB ` +
          `(growth ${mib(peak - base)} MiB, target < 64)`,
      )
    }
  } finally {
    await server.stop()
  }
}

// The load generator side of the memory check is this process: keep it off the server's CPU.
execFileSync('taskset', ['-p', '-c', opts['load-cpu'], String(process.pid)], { stdio: 'ignore' })
console.log(
  `node ${process.version}, wrk -t1 -c${opts.connections} -d${opts.duration}s, server on CPU ${opts['server-cpu']}, wrk on CPU ${opts['load-cpu']}`,
)
const load = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')
console.log(`load average before: ${load()}`)
await throughput()
console.log(`load average after the throughput runs: ${load()}`)
if (!opts['skip-memory']) await memory()
