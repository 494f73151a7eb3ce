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
import { existsSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import {
  FRAMEWORKS,
  measure,
  measureArgs,
  measureOptions,
  median,
  SCENARIOS,
} from './lib/adapters-measure.mjs'

const USAGE = `usage: node bench/adapters-ab.mjs --base <revision> [--only express,koa,hono]
         [--scenario hello,json-64k] [--rounds 3] [--duration 4] [--warmup 1] [--connections 50]
         [--server-cpu 0] [--wrk-cpu 1] [--keep]`

/** A usage error: one line and the usage, exit 2, before anything is built or run. */
function usage(problem) {
  console.error(`adapters-ab: ${problem}\n${USAGE}`)
  process.exit(2)
}

let values
try {
  ;({ values } = parseArgs({
    options: {
      base: { type: 'string' },
      only: { type: 'string', default: 'express,koa,hono' },
      scenario: { type: 'string', default: 'hello,json-64k' },
      ...measureArgs('4'),
      keep: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  }))
} catch (error) {
  usage(error.message)
}
if (values.help) {
  console.log(USAGE)
  process.exit(0)
}
if (!values.base) usage('--base <revision> is required')
const frameworks = values.only.split(',')
for (const name of frameworks) if (!FRAMEWORKS.includes(name)) usage(`unknown framework ${name}`)
const scenarios = values.scenario.split(',').map((name) => {
  const scenario = SCENARIOS.find((s) => s.name === name)
  if (!scenario) usage(`unknown scenario ${name}`)
  return scenario
})
const OPTIONS = measureOptions(values, usage)
const repo = fileURLToPath(new URL('../', import.meta.url))
const git = (...args) => execFileSync('git', ['-C', repo, ...args], { encoding: 'utf8' }).trim()
const run = (cwd, command, args) =>
  execFileSync(command, args, { cwd, stdio: ['ignore', 'ignore', 'inherit'] })
const built = (tree) =>
  ['adapters', 'server'].every((pkg) => existsSync(join(tree, `packages/${pkg}/dist/index.js`)))

if (!built(repo)) usage('this checkout is not built: run npx -y pnpm@12.4.2 run build first')
let sha
try {
  sha = git('rev-parse', '--verify', '--quiet', `${values.base}^{commit}`)
} catch {
  usage(`${values.base} is not a revision of this repository`)
}
const baseTree = join(tmpdir(), `tsgi-ab-${sha.slice(0, 12)}`)
const removeBase = () => {
  if (!values.keep && existsSync(baseTree)) git('worktree', 'remove', '--force', baseTree)
}

const TREES = { base: baseTree, head: undefined }
const rows = []
try {
  if (!built(baseTree)) {
    console.error(`building ${values.base} (${sha.slice(0, 12)}) in ${baseTree}`)
    if (!existsSync(baseTree)) git('worktree', 'add', '--detach', baseTree, sha)
    // The pnpm that revision pins, as its lockfile was written with it.
    const pinned =
      JSON.parse(readFileSync(join(baseTree, 'package.json'), 'utf8')).packageManager ?? 'pnpm@12.4.2'
    run(baseTree, 'npx', ['-y', pinned, 'install', '--frozen-lockfile', '--prefer-offline'])
    // Through pnpm, which turbo needs on the PATH to find the workspace.
    run(baseTree, 'npx', [
      '-y',
      pinned,
      'exec',
      'turbo',
      'run',
      'build',
      '--filter=@tsgi/adapters',
      '--filter=@tsgi/server',
    ])
  }
  for (const framework of frameworks) {
    for (const scenario of scenarios) {
      const cpu = { base: [], head: [] }
      const rps = { base: [], head: [] }
      for (let round = 0; round < OPTIONS.rounds; round++) {
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
  removeBase()
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
