// Preloaded (`node --import`) into a benchmark server by adapters-profile-compare.mjs: V8's CPU
// profiler runs only between a `start` and a `stop <file>` line on stdin, so start-up, module
// loading and the warm-up stay out of the profile. On `stop` the profile goes to <file> and the
// process prints `profiled`.
import { writeFileSync } from 'node:fs'
import { Session } from 'node:inspector/promises'
import { createInterface } from 'node:readline'

const session = new Session()
session.connect()

async function control() {
  for await (const line of createInterface({ input: process.stdin })) {
    if (line === 'start') {
      await session.post('Profiler.enable')
      // 250 µs: four times the default rate, for enough samples in a few seconds of load.
      await session.post('Profiler.setSamplingInterval', { interval: 250 })
      await session.post('Profiler.start')
      process.stdout.write('started\n')
    } else if (line.startsWith('stop ')) {
      const { profile } = await session.post('Profiler.stop')
      writeFileSync(line.slice('stop '.length), JSON.stringify(profile))
      process.stdout.write('profiled\n')
    }
  }
}
// Not awaited: the server module must load while this waits for its lines.
control().catch((error) => {
  process.stderr.write(`profile-on-stdin: ${error.stack}\n`)
  process.exit(1)
})
