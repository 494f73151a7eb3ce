/**
 * The `tsgi` command as a function: `main(argv, io) -> exit code`. `bin/tsgi.js` only calls
 * it, and tests call it directly with their own `io`. It resolves once serving has ended.
 */
import { readFileSync } from 'node:fs'
import { describeFailure } from './failure.ts'
import { type CliIo, processIo, writeLine } from './io.ts'
import { parseCommand } from './parse.ts'
import { runServe } from './serve.ts'
import { usage } from './usage.ts'

/** The version of `@tsgi/server`, from its package.json (same relative path from src and dist). */
export function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    version: string
  }
  return pkg.version
}

/**
 * Runs `tsgi` with `argv` (without `node` and the script). Usage mistakes print one line
 * on stderr and resolve 2; a failure at runtime resolves 1; a drained server resolves 0.
 *
 * @example
 * process.exitCode = await main(process.argv.slice(2))
 */
export async function main(argv: string[], io: CliIo = processIo()): Promise<number> {
  try {
    const command = parseCommand(argv, io.env, io.cwd)
    if (command.kind === 'help') {
      io.stdout.write(usage())
      return 0
    }
    if (command.kind === 'version') {
      writeLine(io.stdout, `tsgi ${version()}`)
      return 0
    }
    return await runServe(command.config, io)
  } catch (error) {
    const { message, exitCode } = describeFailure(error)
    writeLine(io.stderr, `tsgi: ${message}`)
    return exitCode
  }
}
