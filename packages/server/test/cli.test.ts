import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { main } from '../src/cli/main.ts'
import { GENERAL_OPTIONS } from '../src/cli/options.ts'
import { LIMITS } from '../src/limits.ts'
import { get, runMain, stopAll } from './fixtures/cli/run-main.ts'
import { tempDir } from './helpers/temp-dir.ts'

afterEach(stopAll)

const LOCAL = ['--bind', '127.0.0.1:0']

/** Runs main until it exits and returns its exit code and output. */
async function exitOf(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const run = runMain(argv)
  const code = await run.exit
  return { code, stdout: run.stdout(), stderr: run.stderr() }
}

describe('tsgi --help and --version', () => {
  it('prints usage with every general flag and one flag per limit, and exits 0', async () => {
    const { code, stdout } = await exitOf(['--help'])
    expect(code).toBe(0)
    expect(stdout).toMatch(/^Usage: tsgi serve <file>\[:<export>\]/)
    for (const name of Object.keys(GENERAL_OPTIONS)) expect(stdout).toContain(`--${name}`)
    for (const limit of Object.values(LIMITS))
      expect(stdout).toContain(`${limit.flag} ${limit.unit.toUpperCase()}`)
  })

  it('prints the package version', async () => {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'))
    expect(await exitOf(['--version'])).toEqual({ code: 0, stdout: `tsgi ${pkg.version}\n`, stderr: '' })
    expect(await exitOf(['version'])).toEqual({ code: 0, stdout: `tsgi ${pkg.version}\n`, stderr: '' })
  })

  it('takes help as a command', async () => {
    expect(await exitOf(['help'])).toEqual(await exitOf(['--help']))
  })
})

describe('tsgi refuses bad input with one line and exit 2', () => {
  it.each([
    [['serve', 'hello.ts', '--wrokers', '2'], /^tsgi: Unknown option '--wrokers'/],
    [
      ['serve', 'hello.ts', '--limit-request-line', 'big'],
      /^tsgi: --limit-request-line: 'big' is not a whole number/,
    ],
    [['serve', 'missing.ts'], /^tsgi: cannot find app module missing\.ts$/],
    [
      ['serve', 'hello.ts:nope'],
      /^tsgi: hello\.ts has no export 'nope' \(its exports: app, default, other\)$/,
    ],
    [
      ['serve', 'not-an-app.ts'],
      /^tsgi: not-an-app\.ts \(export 'default'\): Expected an Express.*an object with keys answer$/,
    ],
    [['serve', 'README.md'], /^tsgi: cannot find app module README\.md$/],
    [['serv', 'hello.ts'], /^tsgi: unknown command 'serv': did you mean 'serve'\?$/],
    [
      ['serve', 'hello.ts', '--server-header', 'a\r\nX-Injected: 1'],
      /^tsgi: --server-header: "a\\r\\nX-Injected: 1" holds the control byte 0x0d; /,
    ],
    [['serve', 'hello.ts', '--limit-request-line', '0'], /^tsgi: --limit-request-line: 0 would .* 'none'/],
    [
      ['serve', 'hello.ts', '--max-connections', '0'],
      /^tsgi: --max-connections: 0 would refuse every connection;/,
    ],
    [
      ['serve', 'hello.ts', '--workers', '100000'],
      /^tsgi: --workers: '100000' is not a whole number from 1 to 1024$/,
    ],
  ])('%j', async (argv, line) => {
    const { code, stdout, stderr } = await exitOf(argv)
    expect(code).toBe(2)
    expect(stdout).toBe('')
    expect(stderr.split('\n')).toHaveLength(2) // one line and its newline
    expect(stderr.trimEnd()).toMatch(line)
  })

  it('exits 1 with the stack when the module throws while loading', async () => {
    const { code, stderr } = await exitOf(['serve', 'throws-on-import.ts', ...LOCAL])
    expect(code).toBe(1)
    expect(stderr).toContain('this module fails while loading')
  })

  it('exits 1 with one line when the address is taken', async () => {
    const first = runMain(['serve', 'hello.ts', ...LOCAL])
    const taken = (await first.address()).replace('http://', '')
    const { code, stderr } = await exitOf(['serve', 'hello.ts', '--bind', taken])
    expect(code).toBe(1)
    expect(stderr.trimEnd()).toMatch(/^tsgi: cannot listen on .*: address already in use$/)
    first.signals.emit('SIGTERM')
    expect(await first.exit).toBe(0)
  })
})

describe('tsgi serve', () => {
  it.each([
    ['hello.js', 'hello from .js\n'],
    ['hello.mjs', 'hello from .mjs\n'],
    ['hello.cjs', 'hello from .cjs\n'],
    ['hello.ts', 'hello from .ts\n'],
    ['hello.mts', 'hello from .mts\n'],
    ['hello.ts:other', 'hello from the named export\n'],
    ['only-named.ts', 'hello from app\n'],
    ['named.cjs', 'hello from named .cjs\n'],
    ['commonjs/app.ts', 'hello from CommonJS .ts\n'],
  ])('loads %s, serves it, and exits 0 on SIGTERM', async (target, body) => {
    const run = runMain(['serve', target, ...LOCAL, '--no-access-log'])
    const address = await run.address()
    expect(run.stderr()).toMatch(/^tsgi listening on http:\/\/127\.0\.0\.1:\d+ \(tsgi app, 1 worker\)\n$/)
    expect(await get(address)).toMatchObject({ status: 200, body })
    run.signals.emit('SIGTERM')
    expect(await run.exit).toBe(0)
    await expect(get(address)).rejects.toThrow(/ECONNREFUSED/)
  })

  it('listens on every --bind, unix: sockets included', async () => {
    const socket = join(tempDir('tsgi-cli-'), 'tsgi.sock')
    const run = runMain(['serve', 'hello.ts', ...LOCAL, '--bind', `unix:${socket}`, '--no-access-log'])
    const [, tcp, unix] = await run.waitFor(/tsgi listening on (\S+), (\S+) \(/)
    expect(unix).toBe(`unix:${socket}`)
    expect((await get(tcp!)).body).toBe('hello from .ts\n')
    expect((await get(unix!)).body).toBe('hello from .ts\n')
    run.signals.emit('SIGINT')
    expect(await run.exit).toBe(0)
  })

  it('takes HOST and PORT from the environment', async () => {
    const run = runMain(['serve', 'hello.ts', '--no-access-log'], { HOST: '127.0.0.1', PORT: '0' })
    const address = await run.address()
    expect(address).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    expect((await get(address)).status).toBe(200)
    run.signals.emit('SIGTERM')
    expect(await run.exit).toBe(0)
  })

  it('writes one common-format access-log line per request on stdout', async () => {
    const run = runMain(['serve', 'hello.ts', ...LOCAL])
    const address = await run.address()
    await get(address, '/a?b=1')
    const [line] = await run.waitFor(/^.*\n/, 'stdout')
    expect(line).toMatch(
      /^127\.0\.0\.1 - - \[\d\d\/\w{3}\/\d{4}:\d\d:\d\d:\d\d \+0000\] "GET \/a\?b=1 HTTP\/1\.1" 200 15 \d+\.\d{3}ms\n$/,
    )
    run.signals.emit('SIGTERM')
    expect(await run.exit).toBe(0)
  })

  it('writes JSON access-log lines with --access-log-format json', async () => {
    const run = runMain(['serve', 'hello.ts', ...LOCAL, '--access-log-format', 'json'])
    await get(await run.address(), '/json')
    const [line] = await run.waitFor(/^.*\n/, 'stdout')
    expect(JSON.parse(line)).toMatchObject({ method: 'GET', target: '/json', status: 200, bytes: 15 })
    run.signals.emit('SIGTERM')
    expect(await run.exit).toBe(0)
  })

  it('sets or drops the Server header', async () => {
    const named = runMain(['serve', 'hello.ts', ...LOCAL, '--no-access-log', '--server-header', 'edge/1'])
    expect((await get(await named.address())).headers.server).toBe('edge/1')
    const none = runMain(['serve', 'hello.ts', ...LOCAL, '--no-access-log', '--no-server-header'])
    expect((await get(await none.address())).headers.server).toBeUndefined()
    named.signals.emit('SIGTERM')
    none.signals.emit('SIGTERM')
    expect([await named.exit, await none.exit]).toEqual([0, 0])
  })

  it('passes limit flags to the server (--limit-request-line answers 414)', async () => {
    const run = runMain(['serve', 'hello.ts', ...LOCAL, '--no-access-log', '--limit-request-line', '32'])
    const address = await run.address()
    expect((await get(address, `/${'a'.repeat(40)}`)).status).toBe(414)
    expect((await get(address, '/short')).status).toBe(200)
    run.signals.emit('SIGTERM')
    expect(await run.exit).toBe(0)
  })

  it('with --validate, a spec violation becomes a 500 and a TsgiSpecError on stderr', async () => {
    const plain = runMain(['serve', 'invalid-body.ts', ...LOCAL, '--no-access-log', '--validate'])
    expect((await get(await plain.address())).status).toBe(500)
    await plain.waitFor(/TsgiSpecError: the app must return an iterable/)
    plain.signals.emit('SIGTERM')
    expect(await plain.exit).toBe(0)
  })

  it('lets an in-flight request finish on SIGTERM before resolving', async () => {
    const run = runMain(['serve', 'workers-app.ts', ...LOCAL, '--no-access-log'])
    const reply = get(await run.address(), '/slow?ms=300')
    await run.waitFor(/slow request started/)
    run.signals.emit('SIGTERM')
    expect(await reply).toMatchObject({ status: 200, body: 'slow done' })
    expect(await run.exit).toBe(0)
  })
})

describe('tsgi serve of a bare (req, res) handler', () => {
  it('answers 500 as for any gateway app that fails, and says once to wrap it with fromNodeHandler', async () => {
    const run = runMain(['serve', 'node-handler.ts', ...LOCAL, '--no-access-log'])
    const address = await run.address()
    expect((await get(address)).status).toBe(500)
    expect((await get(address)).status).toBe(500)
    expect(run.stderr()).toContain('TypeError: res.end is not a function')
    expect(
      run.stderr().match(/tsgi: hint: a \(req, res\) handler .* fromNodeHandler\(handler\)/g),
    ).toHaveLength(1)
    run.signals.emit('SIGTERM')
    expect(await run.exit).toBe(0)
  })
})

describe('tsgi serve, SIGHUP in one process', () => {
  it('drains like SIGTERM (a lone process cannot reload): the in-flight request completes, exit 0', async () => {
    const run = runMain(['serve', 'workers-app.ts', ...LOCAL, '--no-access-log'])
    const reply = get(await run.address(), '/slow?ms=300')
    await run.waitFor(/slow request started/)
    run.signals.emit('SIGHUP')
    expect(await reply).toMatchObject({ status: 200, body: 'slow done' })
    expect(await run.exit).toBe(0)
    expect(run.stderr()).toContain('tsgi: SIGHUP: draining\n')
  })
})

describe('tsgi serve, a second signal', () => {
  it('stops at once while draining, resolving 1', async () => {
    const run = runMain(['serve', 'workers-app.ts', ...LOCAL, '--no-access-log'])
    const reply = get(await run.address(), '/slow?ms=800')
    await run.waitFor(/slow request started/)
    run.signals.emit('SIGINT')
    run.signals.emit('SIGINT')
    expect(await run.exit).toBe(1)
    expect(run.stderr()).toContain('tsgi: SIGINT: draining\ntsgi: SIGINT again: stopping now\n')
    await reply // in-process the server still finishes it; the bin would have exited already
  })
})

describe('main', () => {
  it('defaults its io to the process (a bad flag still exits 2 without serving)', async () => {
    const write = process.stderr.write
    let written = ''
    process.stderr.write = ((text: string) => {
      written += text
      return true
    }) as typeof process.stderr.write
    try {
      expect(await main(['--nope'])).toBe(2)
    } finally {
      process.stderr.write = write
    }
    expect(written).toBe("tsgi: Unknown option '--nope'\n")
  })
})
