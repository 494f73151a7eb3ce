import { afterEach, describe, expect, it } from 'vitest'
import { get, runMain, stopAll } from './fixtures/cli/run-main.ts'
import { killSpawned, spawnCli } from './fixtures/cli/spawn-cli.ts'

afterEach(async () => {
  killSpawned()
  await stopAll()
})

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
