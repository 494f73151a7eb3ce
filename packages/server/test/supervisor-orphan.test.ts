import { afterEach, expect, it } from 'vitest'
import { get } from './fixtures/cli/run-main.ts'
import { killSpawned, spawnCli } from './fixtures/cli/spawn-cli.ts'

afterEach(killSpawned)

// README, "Signals": a worker whose supervisor disappears (killed with SIGKILL, so it cannot
// drain anyone) finishes the requests it has, then exits; node:cluster alone would exit it at
// once and cut them.
it('a worker whose supervisor is killed finishes its in-flight request, then exits', {
  timeout: 25_000,
}, async () => {
  const argv = ['serve', 'workers-app.ts', '--bind', '127.0.0.1:0', '--no-access-log', '--workers', '2']
  const { child: primary, waitFor, exited } = spawnCli(argv)
  const address = (await waitFor(/tsgi listening on (\S+) /))[1]!
  const workers = new Set<number>()
  for (let i = 0; i < 40 && workers.size < 2; i++) workers.add(Number((await get(address, '/pid')).body))
  const reply = get(address, '/slow?ms=1500')
  await waitFor(/slow request started/)
  primary.kill('SIGKILL')
  await exited
  expect(await reply).toMatchObject({ status: 200, body: 'slow done' })
  // Then the orphans go away by themselves, the port with them.
  const alive = () => [...workers].filter(isAlive)
  for (let i = 0; i < 100 && alive().length > 0; i++) await new Promise((resolve) => setTimeout(resolve, 50))
  expect(alive()).toEqual([])
})

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}
