#!/usr/bin/env node
// Adapters benchmark: each framework app served natively (Express and Koa on node:http,
// Hono on @hono/node-server) and through tsgi (`serve(adapt(app))` from @tsgi/server),
// side by side in one run. For every (framework, scenario) pair the two sides alternate
// for ROUNDS rounds; the figures are the ratios of the medians (requests/s tsgi/native, and
// server CPU per request native/tsgi: above 1.0 means tsgi is faster either way).
//
//   node bench/adapters.mjs [--rounds 3] [--duration 5] [--connections 50] [--only express,koa,hono]
// (`--only hello`: no framework, node:http against a gateway app on the tsgi server)
//
// The server is pinned to CPU 0 and wrk to CPU 1 (taskset), so they never compete for a core.
// Besides requests/s it reports the server's CPU time per request (utime + stime from
// /proc/<pid>/stat around the measured wrk run): on a machine shared with other jobs, req/s
// swings with what else runs on the core, CPU per request much less. A second table compares
// memory: each server's peak resident set (VmHWM from /proc/<pid>/status, warm-up and measured
// run included), median over the rounds; above 1.0, tsgi used less.
// Needs `wrk`, and `packages/adapters/dist` plus `packages/server/dist` built.
import { parseArgs } from 'node:util'
import {
  FRAMEWORKS,
  measure,
  measureArgs,
  measureOptions,
  median,
  SCENARIOS,
} from './lib/adapters-measure.mjs'

function usage(problem) {
  console.error(`adapters: ${problem}`)
  process.exit(2)
}

let values
try {
  ;({ values } = parseArgs({
    options: { ...measureArgs('5'), only: { type: 'string', default: 'express,koa,hono' } },
  }))
} catch (error) {
  usage(error.message)
}
const OPTIONS = measureOptions(values, usage)
const ROUNDS = OPTIONS.rounds
for (const name of values.only.split(',')) if (!FRAMEWORKS.includes(name)) usage(`unknown framework ${name}`)
const NATIVE = { express: 'node:http', koa: 'node:http', hono: '@hono/node-server', hello: 'node:http' }

const rows = []
for (const framework of values.only.split(',')) {
  for (const scenario of SCENARIOS) {
    const runs = { native: [], tsgi: [] }
    const cpu = { native: [], tsgi: [] }
    const peak = { native: [], tsgi: [] }
    for (let round = 0; round < ROUNDS; round++) {
      // Alternate which side goes first, so drift on a shared machine hits both equally.
      const order = round % 2 === 0 ? ['native', 'tsgi'] : ['tsgi', 'native']
      for (const side of order) {
        const result = await measure({ framework, side, scenario }, OPTIONS)
        if (result.errors) console.error(`  ${framework}/${scenario.name}/${side}: ${result.errors}`)
        runs[side].push(result.rps)
        cpu[side].push(result.cpuUs)
        peak[side].push(result.peakMiB)
        console.error(
          `  ${framework} ${scenario.name} ${side} round ${round + 1}: ${result.rps.toFixed(0)} req/s, ${result.cpuUs.toFixed(1)} us CPU/request, peak RSS ${result.peakMiB.toFixed(1)} MiB`,
        )
      }
    }
    const native = median(runs.native)
    const tsgi = median(runs.tsgi)
    const nativeCpu = median(cpu.native)
    const tsgiCpu = median(cpu.tsgi)
    const nativePeak = median(peak.native)
    const tsgiPeak = median(peak.tsgi)
    rows.push({
      framework,
      scenario: scenario.name,
      native,
      tsgi,
      ratio: tsgi / native,
      nativeCpu,
      tsgiCpu,
      cpuRatio: nativeCpu / tsgiCpu,
      nativePeak,
      tsgiPeak,
      peakRatio: nativePeak / tsgiPeak,
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
console.log()
console.log('| app | scenario | native peak RSS MiB | tsgi peak RSS MiB | memory ratio native/tsgi |')
console.log('| --- | --- | ---: | ---: | ---: |')
for (const r of rows) {
  const cells = [r.nativePeak.toFixed(1), r.tsgiPeak.toFixed(1), r.peakRatio.toFixed(2)]
  console.log(`| ${r.framework} | ${r.scenario} | ${cells.join(' | ')} |`)
}
