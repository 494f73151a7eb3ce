import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { createRequire } from 'node:module'
import { pathToFileURL } from 'node:url'
import { expect, it } from 'vitest'
import { fixtures, get } from './fixtures/cli/run-main.ts'

const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href

// README, "Signals": a worker whose supervisor disappears (killed with SIGKILL, so it cannot
// drain anyone) finishes the requests it has, then exits; node:cluster alone would exit it at
// once and cut them.
it('a worker whose supervisor is killed finishes its in-flight request, then exits', {
  timeout: 25_000,
}, async () => {
  const argv = ['serve', 'workers-app.ts', '--bind', '127.0.0.1:0', '--no-access-log', '--workers', '2']
  const primary = spawn(process.execPath, ['--import', TSX, `${fixtures}bin-from-source.ts`, ...argv], {
    cwd: fixtures,
    stdio: ['ignore', 'ignore', 'pipe'],
  })
  try {
    let stderr = ''
    primary.stderr.setEncoding('utf8')
    const seen = (pattern: RegExp) =>
      new Promise<RegExpMatchArray>((resolve) => {
        const check = (text = ''): void => {
          stderr += text
          const match = stderr.match(pattern)
          if (match) {
            primary.stderr.off('data', check)
            resolve(match)
          }
        }
        primary.stderr.on('data', check)
        check()
      })
    const address = (await seen(/tsgi listening on (\S+) /))[1]!
    const workers = new Set<number>()
    for (let i = 0; i < 40 && workers.size < 2; i++) workers.add(Number((await get(address, '/pid')).body))
    const reply = get(address, '/slow?ms=1500')
    await seen(/slow request started/)
    primary.kill('SIGKILL')
    await once(primary, 'exit')
    expect(await reply).toMatchObject({ status: 200, body: 'slow done' })
    // Then the orphans go away by themselves, the port with them.
    const alive = () => [...workers].filter(isAlive)
    for (let i = 0; i < 100 && alive().length > 0; i++)
      await new Promise((resolve) => setTimeout(resolve, 50))
    expect(alive()).toEqual([])
  } finally {
    if (primary.exitCode === null && primary.signalCode === null) primary.kill('SIGKILL')
  }
})

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}
