import { spawn } from 'node:child_process'
import { existsSync, lstatSync, readFileSync, writeFileSync } from 'node:fs'
import { createServer, type Server } from 'node:net'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { get, runMain, stopAll } from './fixtures/cli/run-main.ts'
import { tempDir } from './helpers/temp-dir.ts'

const servers: Server[] = []
afterEach(async () => {
  await stopAll()
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))))
})

const socketPath = (): string => join(tempDir('tsgi-cli-sock-'), 'app.sock')

/** Leaves a socket file nobody listens on, as a server killed with SIGKILL does. */
async function staleSocket(path: string): Promise<void> {
  const child = spawn(
    process.execPath,
    ['-e', `require('net').createServer().listen(${JSON.stringify(path)}, () => console.log('up'))`],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  )
  await new Promise((resolve) => child.stdout!.once('data', resolve))
  child.kill('SIGKILL')
  await new Promise((resolve) => child.once('exit', resolve))
  expect(lstatSync(path).isSocket()).toBe(true)
}

async function exitOf(argv: string[]): Promise<{ code: number; stderr: string }> {
  const run = runMain(argv)
  return { code: await run.exit, stderr: run.stderr() }
}

describe('tsgi serve --bind unix:PATH', () => {
  it('replaces a socket file left by a killed server, and serves on it', async () => {
    const path = socketPath()
    await staleSocket(path)
    const run = runMain(['serve', 'hello.ts', '--bind', `unix:${path}`, '--no-access-log'])
    expect(await run.address()).toBe(`unix:${path}`)
    expect((await get(`unix:${path}`)).body).toBe('hello from .ts\n')
    run.signals.emit('SIGTERM')
    expect(await run.exit).toBe(0)
  })

  it('keeps a socket a live server answers on: address already in use, without a :-1 port', async () => {
    const path = socketPath()
    const live = createServer((socket) => socket.end())
    servers.push(live)
    await new Promise<void>((resolve) => live.listen(path, resolve))
    const { code, stderr } = await exitOf(['serve', 'hello.ts', '--bind', `unix:${path}`])
    expect(code).toBe(1)
    expect(stderr).toBe(`tsgi: cannot listen on unix:${path}: address already in use\n`)
    expect(lstatSync(path).isSocket()).toBe(true)
  })

  it('leaves a file that is not a socket alone and says so', async () => {
    const path = socketPath()
    writeFileSync(path, 'precious')
    const { code, stderr } = await exitOf(['serve', 'hello.ts', '--bind', `unix:${path}`])
    expect(code).toBe(1)
    expect(stderr).toBe(`tsgi: cannot listen on unix:${path}: the path exists and is not a socket\n`)
    expect(readFileSync(path, 'utf8')).toBe('precious')
  })

  it('says the directory does not exist (not "permission denied")', async () => {
    const path = join(socketPath(), 'missing-dir', 'app.sock')
    const { code, stderr } = await exitOf(['serve', 'hello.ts', '--bind', `unix:${path}`])
    expect(code).toBe(1)
    expect(stderr).toBe(`tsgi: cannot listen on unix:${path}: its directory does not exist\n`)
    expect(existsSync(path)).toBe(false)
  })

  it('checks before forking workers: --workers 2 replaces a stale socket too', {
    timeout: 20_000,
  }, async () => {
    const path = socketPath()
    await staleSocket(path)
    const run = runMain(['serve', 'hello.ts', '--bind', `unix:${path}`, '--no-access-log', '--workers', '2'])
    expect(await run.address()).toBe(`unix:${path}`)
    expect((await get(`unix:${path}`)).body).toBe('hello from .ts\n')
    run.signals.emit('SIGTERM')
    expect(await run.exit).toBe(0)
  })
})

describe('tsgi serve --bind HOST:PORT', () => {
  it('names the host it could not resolve', async () => {
    const { code, stderr } = await exitOf(['serve', 'hello.ts', '--bind', 'nosuchhost.invalid:8000'])
    expect(code).toBe(1)
    expect(stderr).toMatch(
      /^tsgi: cannot listen on nosuchhost\.invalid: (unknown host|cannot look the host up now.*)\n$/,
    )
  })
})
