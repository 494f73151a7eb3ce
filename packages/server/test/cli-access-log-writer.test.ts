import { EventEmitter } from 'node:events'
import { afterEach, describe, expect, it } from 'vitest'
import { accessLogWriter } from '../src/cli/access-log-writer.ts'
import { get } from './fixtures/cli/run-main.ts'
import { killSpawned, spawnCli } from './fixtures/cli/spawn-cli.ts'

afterEach(killSpawned)

/** A stdout that takes lines until `break()`, then fails every write with EPIPE, as a stream does. */
function breakableStdout() {
  const stream = Object.assign(new EventEmitter(), {
    lines: [] as string[],
    broken: false,
    write(text: string) {
      if (stream.broken) {
        const error = Object.assign(new Error('write EPIPE'), { code: 'EPIPE' })
        setImmediate(() => stream.emit('error', error))
      } else stream.lines.push(text)
      return true
    },
  })
  return stream
}

describe('accessLogWriter', () => {
  it('writes lines to stdout while it works', () => {
    const stdout = breakableStdout()
    const stderr: string[] = []
    const log = accessLogWriter(stdout, { write: (text) => stderr.push(text) })
    log('one')
    log('two')
    expect(stdout.lines).toEqual(['one\n', 'two\n'])
    expect(stderr).toEqual([])
  })

  it('turns itself off on the first EPIPE, with one line on stderr, and writes no more', async () => {
    const stdout = breakableStdout()
    const stderr: string[] = []
    const log = accessLogWriter(stdout, { write: (text) => stderr.push(text) })
    stdout.broken = true
    log('lost')
    await new Promise((resolve) => setImmediate(resolve))
    stdout.emit('error', Object.assign(new Error('write EPIPE'), { code: 'EPIPE' })) // a late second one
    log('dropped')
    log('dropped too')
    await new Promise((resolve) => setImmediate(resolve))
    expect(stderr).toEqual(['tsgi: cannot write to stdout (EPIPE): access log off\n'])
    expect(stdout.lines).toEqual([])
  })

  it('treats a sink that throws the same way', () => {
    const stderr: string[] = []
    let writes = 0
    const log = accessLogWriter(
      {
        write() {
          writes++
          throw Object.assign(new Error('EBADF'), { code: 'EBADF' })
        },
      },
      { write: (text) => stderr.push(text) },
    )
    log('a')
    log('b')
    expect(writes).toBe(1)
    expect(stderr).toEqual(['tsgi: cannot write to stdout (EBADF): access log off\n'])
  })
})

describe('tsgi serve with its stdout closed (tsgi serve app.ts | head -1)', () => {
  it('keeps serving, says once that the access log is off, and logs no uncaught EPIPE', async () => {
    const cli = spawnCli(['serve', 'hello.ts', '--bind', '127.0.0.1:0'], { stdout: true })
    const { child, waitFor } = cli
    const [, address] = await waitFor(/tsgi listening on (\S+) /)
    child.stdout!.destroy() // the reader goes away, as `head -1` does after its line
    for (let i = 0; i < 5; i++) expect((await get(address!)).status).toBe(200)
    await waitFor(/access log off\n/)
    // Give any late EPIPE a chance to show up as an uncaught exception.
    for (let i = 0; i < 3; i++) expect((await get(address!)).status).toBe(200)
    await new Promise((resolve) => setTimeout(resolve, 100))
    child.kill('SIGTERM')
    await new Promise((resolve) => child.once('exit', resolve))
    const stderr = cli.stderr()
    expect(stderr).not.toContain('uncaught exception')
    expect(stderr.match(/access log off/g)).toHaveLength(1)
    expect(stderr).toMatch(/^tsgi listening on .*\ntsgi: cannot write to stdout \(EPIPE\): access log off\n/)
  }, 20_000)
})
