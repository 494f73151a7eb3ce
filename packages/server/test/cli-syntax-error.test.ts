import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { spawnCli } from './fixtures/cli/spawn-cli.ts'
import { tempDir } from './helpers/temp-dir.ts'

/** Writes `files` (path -> text) under a new temporary directory and returns it. */
function project(files: Record<string, string>): string {
  const root = tempDir('tsgi-syntax-')
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true })
    writeFileSync(join(root, path), text)
  }
  return root
}

/**
 * Runs the CLI as its own process in `cwd`: vitest would load a .js app through its own
 * transform, so only a real process shows what Node's loader reports.
 */
async function tsgi(argv: string[], cwd: string): Promise<{ code: number | null; stderr: string }> {
  const cli = spawnCli(argv, { cwd })
  const code = await cli.exited
  return { code, stderr: cli.stderr() }
}

describe('tsgi serve of a module that does not parse', { timeout: 20_000 }, () => {
  it.each([
    [
      'an ES module',
      { 'package.json': '{"type":"module"}', 'app.js': 'export default function (\n  a,\n' },
      'app.js',
      'app.js:3: Unexpected end of input',
    ],
    ['an .mjs file', { 'app.mjs': 'export default [\n' }, 'app.mjs', 'app.mjs:2: Unexpected end of input'],
    [
      'a CommonJS module',
      { 'app.cjs': 'module.exports = function (\n' },
      'app.cjs',
      'app.cjs:2: Unexpected end of input',
    ],
    [
      'a module the app imports',
      { 'app.mjs': "import './lib.mjs'\n", 'lib.mjs': 'export const a = (\n' },
      'app.mjs',
      'app.mjs or a module it imports: Unexpected end of input',
    ],
    [
      'a TypeScript module',
      { 'app.ts': 'const x: number = (\nexport default x\n' },
      'app.ts',
      'app.ts:2:1: Unexpected "export"',
    ],
  ])('%s: exits 1 with one line naming the file and line', async (_, files, target, message) => {
    const { code, stderr } = await tsgi(['serve', target, '--bind', '127.0.0.1:0'], project(files))
    expect({ code, stderr }).toEqual({ code: 1, stderr: `tsgi: SyntaxError: ${message}\n` })
  })

  it('keeps the stack of a SyntaxError the module’s own code throws while it runs', async () => {
    const root = project({ 'app.mjs': 'JSON.parse("{")\nexport default 1\n' })
    const { code, stderr } = await tsgi(['serve', 'app.mjs', '--bind', '127.0.0.1:0'], root)
    expect(code).toBe(1)
    expect(stderr).toMatch(/^tsgi: SyntaxError: .*JSON/)
    expect(stderr).toContain(`${root}/app.mjs:1`)
  })
})
