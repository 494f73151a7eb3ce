#!/usr/bin/env node
// A/B of the adapters' own speed: the same apps through tsgi, served by this checkout's build
// and by another revision's, alternating in one run. It answers "did this change make the
// adapters faster or slower?", which the native-versus-tsgi ratios of adapters.mjs cannot: on
// this kind of shared machine those ratios drift between runs by more than most changes move
// them, while two builds measured side by side drift together.
//
//   node bench/adapters-ab.mjs --base <revision> [--only express,koa,hono] [--scenario hello,json-64k]
//                              [--rounds 3] [--duration 4] [--warmup 1] [--keep]
//
// The base revision is checked out with `git worktree` under the system's temporary directory,
// installed (pnpm, from the lockfile of that revision) and built; `--keep` leaves it there for
// the next run, which then reuses it. The frameworks come from this checkout for both sides.
// Each measurement is a fresh server process (adapters-server.mjs) pinned to --server-cpu under
// `wrk -t1` on --wrk-cpu; the two builds alternate which goes first. The figure that compares
// them is the server's CPU time per request (from /proc), with req/s beside it.
// Needs this checkout built (`npx -y pnpm@12.4.2 run build`), `wrk`, `taskset` and git.
import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { measure, median, SCENARIOS } from './lib/adapters-measure.mjs'

const { values } = parseArgs({
  options: {
    base: { type: 'string' },
    only: { type: 'string', default: 'express,koa,hono' },
    scenario: { type: 'string', default: 'hello,json-64k' },
    rounds: { type: 'string', default: '3' },
    duration: { type: 'string', default: '4' },
    warmup: { type: 'string', default: '1' },
    connections: { type: 'string', default: '50' },
    'server-cpu': { type: 'string', default: '0' },
    'wrk-cpu': { type: 'string', default: '1' },
    keep: { type: 'boolean', default: false },
  },
})
if (!values.base) {
  console.error('usage: node bench/adapters-ab.mjs --base <revision> [--only ...] [--scenario ...] [--keep]')
  process.exit(2)
}
const OPTIONS = {
  serverCpu: values['server-cpu'],
  wrkCpu: values['wrk-cpu'],
  connections: values.connections,
  warmup: values.warmup,
  duration: values.duration,
}
const repo = fileURLToPath(new URL('../', import.meta.url))
const git = (...args) => execFileSync('git', ['-C', repo, ...args], { encoding: 'utf8' }).trim()
const run = (cwd, command, args) =>
  execFileSync(command, args, { cwd, stdio: ['ignore', 'ignore', 'inherit'] })

for (const pkg of ['adapters', 'server']) {
  if (!existsSync(join(repo, `packages/${pkg}/dist/index.js`))) {
    console.error(`packages/${pkg}/dist is missing: build this checkout first (npx -y pnpm@12.4.2 run build)`)
    process.exit(2)
  }
}

const sha = git('rev-parse', '--verify', `${values.base}^{commit}`)
const baseTree = join(tmpdir(), `tsgi-ab-${sha.slice(0, 12)}`)
if (!existsSync(join(baseTree, 'packages/server/dist/index.js'))) {
  console.error(`building ${values.base} (${sha.slice(0, 12)}) in ${baseTree}`)
  if (!existsSync(baseTree)) git('worktree', 'add', '--detach', baseTree, sha)
  run(baseTree, 'npx', ['-y', 'pnpm@12.4.2', 'install', '--frozen-lockfile', '--prefer-offline'])
  // Through pnpm, which turbo needs on the PATH to find the workspace.
  run(baseTree, 'npx', [
    '-y',
    'pnpm@12.4.2',
    'exec',
    'turbo',
    'run',
    'build',
    '--filter=@tsgi/adapters',
    '--filter=@tsgi/server',
  ])
}

const TREES = { base: baseTree, head: undefined }
const scenarios = SCENARIOS.filter((s) => values.scenario.split(',').includes(s.name))
const rows = []
try {
  for (const framework of values.only.split(',')) {
    for (const scenario of scenarios) {
      const cpu = { base: [], head: [] }
      const rps = { base: [], head: [] }
      for (let round = 0; round < Number(values.rounds); round++) {
        // Alternate which build goes first, so drift on a shared machine hits both equally.
        for (const which of round % 2 === 0 ? ['base', 'head'] : ['head', 'base']) {
          const result = await measure({ framework, side: 'tsgi', scenario, tree: TREES[which] }, OPTIONS)
          if (result.errors) console.error(`  ${framework}/${scenario.name}/${which}: ${result.errors}`)
          cpu[which].push(result.cpuUs)
          rps[which].push(result.rps)
          console.error(
            `  ${framework} ${scenario.name} ${which} round ${round + 1}: ${result.rps.toFixed(0)} req/s, ${result.cpuUs.toFixed(1)} us CPU/request`,
          )
        }
      }
      rows.push({ framework, scenario: scenario.name, cpu, rps })
    }
  }
} finally {
  if (!values.keep) git('worktree', 'remove', '--force', baseTree)
}

const range = (xs) => `${Math.min(...xs).toFixed(1)}-${Math.max(...xs).toFixed(1)}`
console.log(
  `base: ${values.base} (${sha.slice(0, 12)}); head: this checkout (${git('rev-parse', '--short=12', 'HEAD')})`,
)
console.log(
  '| app | scenario | base µs CPU/req | head µs CPU/req | CPU ratio base/head | base req/s | head req/s |',
)
console.log('| --- | --- | ---: | ---: | ---: | ---: | ---: |')
for (const { framework, scenario, cpu, rps } of rows) {
  const cells = [range(cpu.base), range(cpu.head), (median(cpu.base) / median(cpu.head)).toFixed(2)]
  cells.push(median(rps.base).toFixed(0), median(rps.head).toFixed(0))
  console.log(`| ${framework} | ${scenario} | ${cells.join(' | ')} |`)
}
