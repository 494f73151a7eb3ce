import { afterEach, describe, expect, it } from 'vitest'
import { get, runMain, stopAll } from './fixtures/cli/run-main.ts'

const WORKERS = ['serve', 'workers-app.ts', '--bind', '127.0.0.1:0', '--no-access-log', '--workers', '2']

/** Asks `/pid` on fresh connections until `count` distinct worker pids answered. */
async function pidsAnswering(address: string, count: number, tries = 40): Promise<Set<string>> {
  const pids = new Set<string>()
  for (let i = 0; i < tries && pids.size < count; i++) pids.add((await get(address, '/pid')).body)
  return pids
}

afterEach(stopAll)

// Each test forks real worker processes that load TypeScript: allow them time to boot.
describe('tsgi serve --workers', { timeout: 25_000 }, () => {
  it('runs N workers on one port with tsgi.multiprocess set', async () => {
    const run = runMain(WORKERS)
    const address = await run.address()
    expect(run.stderr()).toMatch(/tsgi listening on http:\/\/127\.0\.0\.1:\d+ \(tsgi app, 2 workers\)\n/)
    expect((await pidsAnswering(address, 2)).size).toBe(2)
    expect((await get(address, '/multiprocess')).body).toBe('true')
    run.signals.emit('SIGTERM')
    expect(await run.exit).toBe(0)
  })

  it('takes the worker count from WEB_CONCURRENCY', async () => {
    const run = runMain(WORKERS.slice(0, -2), { WEB_CONCURRENCY: '2' })
    await run.waitFor(/\(tsgi app, 2 workers\)/)
    run.signals.emit('SIGINT')
    expect(await run.exit).toBe(0)
  })

  it('replaces a worker killed with SIGKILL while the port keeps answering', async () => {
    const run = runMain(WORKERS)
    const address = await run.address()
    const before = await pidsAnswering(address, 2)
    const [victim, survivor] = [...before]
    process.kill(Number(victim), 'SIGKILL')
    await run.waitFor(new RegExp(`worker ${victim} exited \\(SIGKILL\\); starting a new one in \\d+ms`))
    // While the replacement boots, the survivor answers every request.
    for (let i = 0; i < 5; i++)
      expect(await get(address, '/pid')).toMatchObject({ status: 200, body: survivor })
    await run.waitFor(/worker \d+ listening \(replacement\)/)
    const after = await pidsAnswering(address, 2)
    expect(after.has(survivor!)).toBe(true)
    expect(after.has(victim!)).toBe(false)
    expect(after.size).toBe(2)
    run.signals.emit('SIGTERM')
    expect(await run.exit).toBe(0)
  })

  it('drains every worker on SIGTERM: the in-flight request completes, then the port closes', async () => {
    const run = runMain(WORKERS)
    const address = await run.address()
    const reply = get(address, '/slow?ms=400')
    await run.waitFor(/slow request started/)
    run.signals.emit('SIGTERM')
    expect(await reply).toMatchObject({ status: 200, body: 'slow done' })
    expect(await run.exit).toBe(0)
    expect(run.stderr()).toContain('tsgi: SIGTERM: draining 2 worker(s)')
    await expect(get(address)).rejects.toThrow(/ECONNREFUSED/)
  })

  it('kills every worker on a second signal while draining and exits 1', async () => {
    const run = runMain(WORKERS)
    // Settled at once into a value: the rejection comes before the test looks at it.
    const reply = get(await run.address(), '/slow?ms=5000').then(
      () => 'answered',
      (error: Error) => error.message,
    )
    await run.waitFor(/slow request started/)
    run.signals.emit('SIGTERM')
    await run.waitFor(/draining 2 worker/)
    run.signals.emit('SIGTERM')
    expect(await run.exit).toBe(1)
    expect(run.stderr()).toContain('tsgi: SIGTERM again: killing 2 worker(s) now')
    expect(await reply).toMatch(/socket hang up|ECONNRESET/)
  })

  it('stops restarting on a crash loop and exits 1 with a clear message', async () => {
    const run = runMain(WORKERS)
    const address = await run.address()
    const [keeper] = await pidsAnswering(address, 2)
    let looped = false
    run.waitFor(/crash loop/).then(
      () => {
        looped = true
      },
      () => {},
    )
    // Bounded by time, not by count: each replacement boots a TypeScript worker first.
    for (const deadline = Date.now() + 18_000; !looped && Date.now() < deadline; ) {
      // The keeper answers while the others are replaced; each replacement dies on its first /crash.
      await get(address, `/crash?keep=${keeper}`).catch(() => undefined)
      await new Promise((resolve) => setTimeout(resolve, 20))
    }
    expect(await run.exit).toBe(1)
    expect(run.stderr()).toMatch(
      /tsgi: 5 worker exits within 60s \(last: code 3\); crash loop, not restarting/,
    )
  })

  it('exits 2 with the worker-reported line when the app cannot be loaded', async () => {
    const run = runMain(['serve', 'missing.ts', '--bind', '127.0.0.1:0', '--workers', '2'])
    expect(await run.exit).toBe(2)
    expect(run.stderr()).toBe('tsgi: cannot find app module missing.ts\n')
  })
})
