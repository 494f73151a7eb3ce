// What the side-by-side scripts share: a benchmark server as a fresh process pinned to one CPU
// (`taskset`), which prints `listening <url>` on stdout once it accepts connections, and the CPU
// time a process has used, read from /proc.
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { readFileSync } from 'node:fs'

/**
 * Starts `node <args>` on CPU `cpu`; resolves with the child, its URL and `stop()` (kills it and
 * waits for its exit). `env` replaces the child's environment when given.
 */
export async function startPinnedServer(args, cpu, env) {
  const child = spawn('taskset', ['-c', cpu, process.execPath, ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
    ...(env ? { env } : {}),
  })
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill()
      await once(child, 'exit')
    }
  }
  let output = ''
  for await (const chunk of child.stdout) {
    output += chunk
    const match = /listening (\S+)/.exec(output)
    if (match) return { child, url: match[1], stop }
  }
  await stop()
  throw new Error(`${args.join(' ')} exited before listening`)
}

/** CPU seconds (user + system) the process used so far, from /proc/<pid>/stat. */
export function cpuSeconds(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  // Fields 14 and 15 of stat(5) are utime and stime, in clock ticks (USER_HZ, 100 on Linux).
  return (Number(fields[11]) + Number(fields[12])) / 100
}
