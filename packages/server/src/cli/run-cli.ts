/**
 * What `bin/tsgi.js` runs: the CLI as a process. It guards the process against the app's
 * unhandled errors, runs {@link main}, and exits with its code once serving has ended.
 */
import { main } from './main.ts'
import { guardProcess } from './process-guard.ts'

/**
 * Runs `tsgi` with `argv` in this process and exits with its code.
 *
 * @example
 * await runCli(process.argv.slice(2))
 */
export async function runCli(argv: string[]): Promise<never> {
  guardProcess(process, (text) => process.stderr.write(text))
  // main resolves once serving has ended (drained on a signal); exit then even if the app
  // left handles open (timers, database pools) that would keep the process alive.
  process.exit(await main(argv))
}
