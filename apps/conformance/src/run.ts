import { writeFile } from 'node:fs/promises'
import { renderMatrix, tally } from './matrix.ts'
import { runSuite } from './run-suite.ts'

/**
 * Runs the matrix, prints it and writes `docs/conformance.md`.
 * `--only express5,hono` limits the frameworks; `--no-write` leaves the doc alone.
 * Exits 1 when any cell fails.
 */
export async function main(argv: readonly string[]): Promise<number> {
  const onlyAt = argv.indexOf('--only')
  const only = onlyAt === -1 ? undefined : (argv[onlyAt + 1] ?? '').split(',').filter(Boolean)
  const result = await runSuite(only)
  const markdown = renderMatrix(result)
  process.stdout.write(markdown)
  const counts = tally(result.cells)
  process.stdout.write(`\n${JSON.stringify(counts)} in ${result.durationMs} ms\n`)
  if (!argv.includes('--no-write') && only === undefined) {
    await writeFile(new URL('../../../docs/conformance.md', import.meta.url), markdown)
  }
  return counts.fail === 0 ? 0 : 1
}

process.exitCode = await main(process.argv.slice(2))
