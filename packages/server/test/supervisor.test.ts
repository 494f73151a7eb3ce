import { rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { get, type RunningMain, runMain, stopAll } from './fixtures/cli/run-main.ts'

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

  it('reloads on SIGHUP: new workers take over, an old one drains its in-flight request', async () => {
    const run = runMain(WORKERS)
    const address = await run.address()
    const before = await pidsAnswering(address, 2)
    const reply = get(address, '/slow?ms=1500')
    await run.waitFor(/slow request started/)
    run.signals.emit('SIGHUP')
    await run.waitFor(/tsgi: SIGHUP: starting 2 new worker\(s\), then draining the old/)
    await run.waitFor(/(?:listening \(reload\); draining worker \d+[\s\S]*){2}/)
    expect(await reply).toMatchObject({ status: 200, body: 'slow done' })
    const after = await pidsAnswering(address, 2)
    expect(after.size).toBe(2)
    for (const pid of after) expect(before.has(pid)).toBe(false)
    expect(run.stderr()).not.toMatch(/exited|starting a new one/)
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

  /** Sends `/crash?keep=` until the worker that is not `keeper` exited `count` times in all. */
  async function crashOther(run: RunningMain, address: string, keeper: string, count: number): Promise<void> {
    const exits = () => (run.stderr().match(/exited \(code 3\)/g) ?? []).length
    for (let i = 0; i < 200 && exits() < count; i++) {
      await get(address, `/crash?keep=${keeper}`).catch(() => undefined)
      await new Promise((resolve) => setTimeout(resolve, 20))
    }
    expect(exits()).toBe(count)
  }

  it('replaces workers that die after they started, however often (an OOM kill is no crash loop)', async () => {
    const run = runMain(WORKERS)
    const address = await run.address()
    const [keeper] = await pidsAnswering(address, 2)
    // Five exits in a minute: the limit of failed starts, which these are not.
    for (let n = 1; n <= 5; n++) {
      await crashOther(run, address, keeper!, n)
      await run.waitFor(new RegExp(`(?:listening \\(replacement\\)[\\s\\S]*){${n}}`))
    }
    expect(run.stderr()).not.toMatch(/crash loop/)
    expect((await pidsAnswering(address, 2)).size).toBe(2)
    run.signals.emit('SIGTERM')
    expect(await run.exit).toBe(0)
  })

  it('stops when replacements cannot start (a crash loop) and exits 1 with a clear message', async () => {
    const marker = join(tmpdir(), `tsgi-boot-fail-${process.pid}-${Date.now()}`)
    process.env.TSGI_TEST_BOOT_FAIL_FILE = marker
    try {
      const run = runMain(WORKERS)
      const address = await run.address()
      const [keeper] = await pidsAnswering(address, 2)
      writeFileSync(marker, '')
      await crashOther(run, address, keeper!, 1)
      expect(await run.exit).toBe(1)
      expect(run.stderr()).toMatch(
        /tsgi: 5 workers died before listening within 60s \(last: code \d+\); crash loop, not restarting/,
      )
      expect(run.stderr()).toMatch(/worker \d+: .*this worker cannot start/)
    } finally {
      delete process.env.TSGI_TEST_BOOT_FAIL_FILE
      rmSync(marker, { force: true })
    }
  })

  it('exits 2 with the worker-reported line when the app cannot be loaded', async () => {
    const run = runMain(['serve', 'missing.ts', '--bind', '127.0.0.1:0', '--workers', '2'])
    expect(await run.exit).toBe(2)
    expect(run.stderr()).toBe('tsgi: cannot find app module missing.ts\n')
  })
})
