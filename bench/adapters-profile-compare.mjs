#!/usr/bin/env node
// Where the CPU of one request goes, natively and through tsgi: each side of one framework's
// hello world (or JSON POST) is profiled under wrk, after a warm-up and only while the measured
// run lasts (V8's CPU profiler, started and stopped by lib/profile-on-stdin.mjs), and
// the samples are summed per source file (a package, a node: module, or a native function such
// as the socket write) and divided by the requests served. Prints the files whose share differs
// most, in µs per request. The profiler slows both sides alike; compare the two columns, not
// the figures with the unprofiled runs of adapters.mjs.
//
//   node bench/adapters-profile-compare.mjs <express|koa|hono|hello> [--scenario hello|json-64k]
//                                           [--duration 6] [--warmup 1] [--rows 30] [--by file|function]
//
// `--by function` sums self time per function (name, file and line) instead of per file.
//
// Server on --server-cpu (0), `wrk -t1 -c50` on --wrk-cpu (1). Needs wrk, taskset and the
// packages built.
import { spawn, spawnSync } from 'node:child_process'
import { once } from 'node:events'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { FRAMEWORKS, SCENARIOS } from './lib/adapters-measure.mjs'

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    scenario: { type: 'string', default: 'hello' },
    duration: { type: 'string', default: '6' },
    warmup: { type: 'string', default: '1' },
    rows: { type: 'string', default: '30' },
    by: { type: 'string', default: 'file' },
    'server-cpu': { type: 'string', default: '0' },
    'wrk-cpu': { type: 'string', default: '1' },
  },
})
const [framework] = positionals
const scenario = SCENARIOS.find((s) => s.name === values.scenario)
if (!FRAMEWORKS.includes(framework) || !scenario || !['file', 'function'].includes(values.by)) {
  console.error(
    'usage: node bench/adapters-profile-compare.mjs <express|koa|hono|hello> [--scenario hello|json-64k] [--by file|function]',
  )
  process.exit(2)
}
const duration = Number(values.duration)
const server = fileURLToPath(new URL('./adapters-server.mjs', import.meta.url))
const control = new URL('./lib/profile-on-stdin.mjs', import.meta.url).href

/** What the child prints, kept: `waitFor(pattern)` resolves with the first match, now or later. */
function outputOf(child) {
  let output = ''
  let exited = false
  const checks = new Set()
  child.stdout.setEncoding('utf8')
  child.stdout.on('data', (chunk) => {
    output += chunk
    for (const check of checks) check()
  })
  child.on('exit', () => {
    exited = true
    for (const check of checks) check()
  })
  return (pattern) =>
    new Promise((resolve, reject) => {
      const check = () => {
        const match = pattern.exec(output)
        if (match || exited) checks.delete(check)
        if (match) resolve(match)
        else if (exited) reject(new Error(`${framework} server exited before printing ${pattern}`))
      }
      checks.add(check)
      check()
    })
}

function wrk(url, seconds) {
  const args = ['-c', values['wrk-cpu'], 'wrk', '-t1', '-c50', `-d${seconds}s`, ...scenario.args, `${url}/`]
  const run = spawnSync('taskset', args, { encoding: 'utf8' })
  const requests = Number(/(\d+) requests in/.exec(run.stdout)?.[1])
  if (!requests) throw new Error(`wrk failed: ${run.stdout}${run.stderr}`)
  return requests
}

/**
 * Profiles one side under wrk, after a warm-up: µs of samples per source file, and the requests
 * served while the profiler ran (lib/profile-on-stdin.mjs starts and stops it around the run).
 */
async function profile(side) {
  const dir = mkdtempSync(join(tmpdir(), 'tsgi-profile-'))
  const out = join(dir, 'side.cpuprofile')
  const args = ['-c', values['server-cpu'], process.execPath, '--import', control, server, framework, side]
  const child = spawn('taskset', args, {
    stdio: ['pipe', 'pipe', 'inherit'],
    env: { ...process.env, NODE_ENV: 'production' },
  })
  const waitFor = outputOf(child)
  try {
    const [, url] = await waitFor(/listening (\S+)/)
    wrk(url, values.warmup)
    child.stdin.write('start\n')
    await waitFor(/started/)
    const requests = wrk(url, duration)
    child.stdin.write(`stop ${out}\n`)
    await waitFor(/profiled/)
    return { files: perFile(JSON.parse(readFileSync(out, 'utf8'))), requests }
  } finally {
    child.kill()
    await once(child, 'exit')
    rmSync(dir, { recursive: true, force: true })
  }
}

/**
 * Sampled µs per source file (a package by its name@version, this repository's files by path),
 * or with `--by function` per function in it.
 */
function perFile(profile) {
  const nodes = new Map(profile.nodes.map((node) => [node.id, node.callFrame]))
  const files = new Map()
  for (let i = 0; i < profile.samples.length; i++) {
    const frame = nodes.get(profile.samples[i])
    const url = frame.url
      .replace(/.*node_modules\/\.pnpm\/([^/]+)\/.*/, '$1')
      .replace(fileURLToPath(new URL('../', import.meta.url)), '')
      .replace(/^file:\/\//, '')
    const key =
      values.by === 'function' && url
        ? `${frame.functionName || '(anonymous)'} ${url}:${frame.lineNumber + 1}`
        : url || frame.functionName
    files.set(key, (files.get(key) ?? 0) + (profile.timeDeltas[i] ?? 0))
  }
  files.delete('(idle)')
  return files
}

const native = await profile('native')
const tsgi = await profile('tsgi')
const perRequest = (side, key) => (side.files.get(key) ?? 0) / side.requests
const keys = [...new Set([...native.files.keys(), ...tsgi.files.keys()])]
const total = (side) => keys.reduce((sum, key) => sum + perRequest(side, key), 0)
keys.sort(
  (a, b) =>
    Math.abs(perRequest(tsgi, b) - perRequest(native, b)) -
    Math.abs(perRequest(tsgi, a) - perRequest(native, a)),
)
console.log(`${framework} ${scenario.name}, Node ${process.versions.node}, µs of CPU samples per request`)
console.log(`| ${values.by === 'function' ? 'function' : 'source'} | native | tsgi | difference |`)
console.log('| --- | ---: | ---: | ---: |')
console.log(
  `| all but idle | ${total(native).toFixed(2)} | ${total(tsgi).toFixed(2)} | ${(total(tsgi) - total(native)).toFixed(2)} |`,
)
// tsgi's own code: the server and the adapters, as against everything node and the framework do.
const own = (side) =>
  keys.filter((key) => /(?:^| )packages\//.test(key)).reduce((sum, key) => sum + perRequest(side, key), 0)
console.log(
  `| tsgi's own files (packages/) | ${own(native).toFixed(2)} | ${own(tsgi).toFixed(2)} | ${(own(tsgi) - own(native)).toFixed(2)} |`,
)
for (const key of keys.slice(0, Number(values.rows))) {
  const [n, t] = [perRequest(native, key), perRequest(tsgi, key)]
  console.log(`| ${key} | ${n.toFixed(2)} | ${t.toFixed(2)} | ${(t - n).toFixed(2)} |`)
}
