// What adapters.mjs, adapters-ab.mjs and adapters-profile-compare.mjs share: the apps and
// scenarios, the options of a measured run, one measured run of one adapters-server.mjs process
// under wrk, and the median.
import { spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { cpuSeconds, startPinnedServer } from './pinned-server.mjs'

const here = (file) => fileURLToPath(new URL(file, import.meta.url))

/** The apps adapters-server.mjs serves (`hello`: no framework, node:http against a gateway app). */
export const FRAMEWORKS = ['express', 'koa', 'hono', 'hello']

export const SCENARIOS = [
  { name: 'hello', args: [] },
  { name: 'json-64k', args: ['-s', here('../adapters-post.lua')] },
]

/** `parseArgs` options of a measured run; `duration` (seconds) is the script's own default. */
export function measureArgs(duration) {
  return {
    rounds: { type: 'string', default: '3' },
    duration: { type: 'string', default: duration },
    warmup: { type: 'string', default: '1' },
    connections: { type: 'string', default: '50' },
    'server-cpu': { type: 'string', default: '0' },
    'wrk-cpu': { type: 'string', default: '1' },
  }
}

/**
 * The parsed {@link measureArgs} as `measure` takes them, each checked first: a bad one goes to
 * `usage(problem)`, which is expected to exit, before anything is run.
 */
export function measureOptions(values, usage) {
  for (const name of ['rounds', 'duration', 'warmup', 'connections', 'server-cpu', 'wrk-cpu']) {
    const cpu = name.endsWith('cpu')
    if (!/^\d+$/.test(values[name]) || (!cpu && values[name] === '0'))
      usage(`--${name} must be a whole number${cpu ? '' : ' above 0'}, got ${values[name]}`)
  }
  return {
    rounds: Number(values.rounds),
    serverCpu: values['server-cpu'],
    wrkCpu: values['wrk-cpu'],
    connections: values.connections,
    warmup: values.warmup,
    duration: values.duration,
  }
}

/**
 * Starts `adapters-server.mjs <framework> <side> [tree]` pinned to `options.serverCpu`.
 * `tree`: the checkout whose `packages/*\/dist` serves the tsgi side (default: this one).
 */
function startServer(framework, side, tree, options) {
  const args = [here('../adapters-server.mjs'), framework, side]
  if (tree) args.push(tree)
  return startPinnedServer(args, options.serverCpu, { ...process.env, NODE_ENV: 'production' })
}

function wrk(url, scenario, seconds, options) {
  const args = ['-c', options.wrkCpu, 'wrk', '-t1', `-c${options.connections}`, `-d${seconds}s`]
  const run = spawnSync('taskset', [...args, ...scenario.args, `${url}/`], { encoding: 'utf8' })
  const rps = /Requests\/sec:\s+([\d.]+)/.exec(run.stdout)
  const count = /(\d+) requests in/.exec(run.stdout)
  const errors = /Non-2xx or 3xx responses: (\d+)|Socket errors: (.*)/.exec(run.stdout)
  if (!rps) throw new Error(`wrk failed: ${run.stdout}${run.stderr}`)
  return { rps: Number(rps[1]), requests: Number(count?.[1] ?? 0), errors: errors ? errors[0] : '' }
}

/**
 * The process's resident memory in MiB, from /proc/<pid>/status: `rss` now (VmRSS) and `peak`,
 * the most it ever had (VmHWM, the high-water mark).
 */
function memoryMiB(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8')
  const kib = (field) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? Number.NaN)
  return { rss: kib('VmRSS') / 1024, peak: kib('VmHWM') / 1024 }
}

/**
 * One fresh server process: a warm-up, then the measured wrk run, with the server's CPU time
 * per request over that run and its resident memory at the end of it (`rssMiB`) and at its
 * highest (`peakMiB`). `options`: serverCpu, wrkCpu, connections, warmup and duration (s).
 */
export async function measure({ framework, side, scenario, tree }, options) {
  const { child, url, stop } = await startServer(framework, side, tree, options)
  try {
    wrk(url, scenario, options.warmup, options)
    const before = cpuSeconds(child.pid)
    const result = wrk(url, scenario, options.duration, options)
    const cpuUs = ((cpuSeconds(child.pid) - before) * 1e6) / Math.max(result.requests, 1)
    const memory = memoryMiB(child.pid)
    return { ...result, cpuUs, rssMiB: memory.rss, peakMiB: memory.peak }
  } finally {
    await stop()
  }
}

export const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b)
  const m = Math.floor(s.length / 2)
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2
}
