import { type ChildProcess, spawn } from 'node:child_process'
import { createRequire } from 'node:module'
import { pathToFileURL } from 'node:url'
import { afterEach, describe, expect, it } from 'vitest'
import { fixtures, get, runMain, stopAll } from './fixtures/cli/run-main.ts'

const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href
const children: ChildProcess[] = []

afterEach(async () => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL')
  await stopAll()
})

/** Runs the CLI as its own process (bin/tsgi.js on the sources), like a user does. */
function spawnCli(argv: string[]): {
  child: ChildProcess
  stderr: () => string
  waitFor: (pattern: RegExp) => Promise<RegExpMatchArray>
} {
  const child = spawn(process.execPath, ['--import', TSX, `${fixtures}bin-from-source.ts`, ...argv], {
    cwd: fixtures,
    stdio: ['ignore', 'ignore', 'pipe'],
  })
  children.push(child)
  let stderr = ''
  child.stderr!.setEncoding('utf8')
  child.stderr!.on('data', (text: string) => {
    stderr += text
  })
  const waitFor = (pattern: RegExp) =>
    new Promise<RegExpMatchArray>((resolve, reject) => {
      const check = (): void => {
        const match = stderr.match(pattern)
        if (match) {
          child.stderr!.off('data', check)
          child.off('exit', check)
          resolve(match)
        } else if (child.exitCode !== null || child.signalCode !== null) {
          reject(
            new Error(`tsgi exited (${child.exitCode ?? child.signalCode}) before ${pattern}: ${stderr}`),
          )
        }
      }
      child.stderr!.on('data', check)
      child.on('exit', check)
      check()
    })
  return { child, stderr: () => stderr, waitFor }
}

describe('an app’s unhandled errors do not end the server', { timeout: 25_000 }, () => {
  it('the tsgi process logs an unhandled rejection and a timer’s throw with their stacks, and keeps serving', async () => {
    const cli = spawnCli(['serve', 'careless-app.ts', '--bind', '127.0.0.1:0', '--no-access-log'])
    const address = (await cli.waitFor(/tsgi listening on (\S+) /))[1]!
    const pid = String(cli.child.pid)
    expect((await get(address, '/reject')).body).toBe(pid)
    await cli.waitFor(
      /unhandled promise rejection \(still serving\)\nError: nobody handles this rejection\n\s+at /,
    )
    expect((await get(address, '/throw')).body).toBe(pid)
    await cli.waitFor(/uncaught exception \(still serving\)\nError: thrown inside a timer\n\s+at /)
    expect(await get(address, '/after')).toMatchObject({ status: 200, body: pid })
    const exited = new Promise((resolve) => cli.child.once('exit', resolve))
    cli.child.kill('SIGTERM')
    expect(await exited).toBe(0)
  })

  it('a worker of --workers 2 does too: the same worker answers afterwards, none is replaced', async () => {
    const run = runMain([
      'serve',
      'careless-app.ts',
      '--bind',
      '127.0.0.1:0',
      '--no-access-log',
      '--workers',
      '2',
    ])
    const address = await run.address()
    const rejecting = (await get(address, '/reject')).body
    await run.waitFor(
      /unhandled promise rejection \(still serving\)\nError: nobody handles this rejection\n\s+at /,
    )
    const throwing = (await get(address, '/throw')).body
    await run.waitFor(/uncaught exception \(still serving\)\nError: thrown inside a timer\n\s+at /)
    const answered = new Set<string>()
    for (let i = 0; i < 40 && !(answered.has(rejecting) && answered.has(throwing)); i++)
      answered.add((await get(address, '/pid')).body)
    expect(answered.has(rejecting) && answered.has(throwing)).toBe(true)
    expect(run.stderr()).not.toMatch(/exited/)
    run.signals.emit('SIGTERM')
    expect(await run.exit).toBe(0)
  })
})
