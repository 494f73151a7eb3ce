import { describe, expect, it } from 'vitest'
import { parseBind } from '../src/bind.ts'
import { ZERO_BREAKS } from '../src/cli/limit-value.ts'
import { type Command, parseCommand } from '../src/cli/parse.ts'
import { LIMITS, type LimitName } from '../src/limits.ts'

const serve = (
  argv: string[],
  env: Record<string, string> = {},
): Extract<Command, { kind: 'serve' }>['config'] => {
  const command = parseCommand(['serve', 'app.ts', ...argv], env, '/srv')
  if (command.kind !== 'serve') throw new Error(`expected serve, got ${command.kind}`)
  return command.config
}

describe('parseCommand', () => {
  it('defaults to 127.0.0.1:8000, one worker, common access log', () => {
    expect(serve([])).toEqual({
      target: 'app.ts',
      cwd: '/srv',
      binds: ['127.0.0.1:8000'],
      workers: 1,
      validate: false,
      accessLog: 'common',
      serverHeader: undefined,
      limits: {},
    })
  })

  it('takes --bind repeatedly, with IPv6 and unix: addresses', () => {
    expect(
      serve(['--bind', '0.0.0.0:80', '-b', '[::1]:8080', '--bind', 'unix:/tmp/tsgi.sock']).binds,
    ).toEqual(['0.0.0.0:80', '[::1]:8080', 'unix:/tmp/tsgi.sock'])
  })

  it('takes HOST and PORT from the environment, flags winning', () => {
    expect(serve([], { HOST: '0.0.0.0', PORT: '3000' }).binds).toEqual(['0.0.0.0:3000'])
    expect(serve([], { PORT: '3000' }).binds).toEqual(['127.0.0.1:3000'])
    expect(serve([], { HOST: '::' }).binds).toEqual(['[::]:8000'])
    expect(serve(['--bind', '127.0.0.1:1'], { PORT: '3000' }).binds).toEqual(['127.0.0.1:1'])
  })

  it('takes :PORT as every interface, as gunicorn does (Cloud Run binds :$PORT)', () => {
    expect(serve(['--bind', ':8080']).binds).toEqual([':8080'])
    expect(serve(['-b', ':0', '--bind', '[::]:0']).binds).toEqual([':0', '[::]:0'])
    // ...which serve() listens on as 0.0.0.0.
    expect(parseBind(':8080')).toEqual({ host: '0.0.0.0', port: 8080 })
  })

  it('takes HOST with or without the brackets of an IPv6 literal', () => {
    expect(serve([], { HOST: '[::1]' }).binds).toEqual(['[::1]:8000'])
    expect(serve([], { HOST: '[::1]', PORT: '3000' }).binds).toEqual(['[::1]:3000'])
    expect(serve([], { HOST: '::1' }).binds).toEqual(['[::1]:8000'])
  })

  it('treats an empty HOST, PORT or WEB_CONCURRENCY as unset', () => {
    expect(serve([], { HOST: '', PORT: '', WEB_CONCURRENCY: '' })).toMatchObject({
      binds: ['127.0.0.1:8000'],
      workers: 1,
    })
    expect(serve(['--workers', '3'], { WEB_CONCURRENCY: '' }).workers).toBe(3)
  })

  it('takes up to 1024 workers', () => {
    expect(serve(['--workers', '1024']).workers).toBe(1024)
    expect(serve([], { WEB_CONCURRENCY: '1024' }).workers).toBe(1024)
  })

  it('takes WEB_CONCURRENCY as the default worker count, --workers winning', () => {
    expect(serve([], { WEB_CONCURRENCY: '3' }).workers).toBe(3)
    expect(serve(['--workers', '2'], { WEB_CONCURRENCY: '3' }).workers).toBe(2)
  })

  it('has one flag per limit, named by the limits table', () => {
    for (const name of Object.keys(LIMITS) as LimitName[]) {
      expect(serve([LIMITS[name].flag, '1234']).limits).toEqual({ [name]: 1234 })
    }
    expect(serve(['--limit-request-body', 'none']).limits).toEqual({ maxBodyBytes: null })
  })

  it('takes 0 where a zero limit means something: no body, no discarding, no grace', () => {
    expect(
      serve(['--limit-request-body', '0', '--limit-discard-body', '0', '--graceful-timeout', '0']).limits,
    ).toEqual({ maxBodyBytes: 0, maxDiscardBodyBytes: 0, gracefulTimeoutMs: 0 })
  })

  it.each(
    (Object.keys(LIMITS) as LimitName[]).filter((name) => ZERO_BREAKS[name] !== null).map((name) => [name]),
  )('refuses 0 for %s, naming the flag and pointing at none', (name) => {
    const flag = LIMITS[name].flag
    const refuse = () => parseCommand(['serve', 'a.ts', flag, '0'], {}, '/')
    expect(refuse).toThrow(expect.objectContaining({ code: 'TSGI_CLI_USAGE' }))
    expect(refuse).toThrow(
      new RegExp(`^${flag}: 0 would .*; give a positive number, or 'none' to lift the limit$`),
    )
    expect(serve([flag, '1']).limits).toEqual({ [name]: 1 })
    expect(serve([flag, 'none']).limits).toEqual({ [name]: null })
  })

  it('refuses 0 at least for the request line, fields, field size, headers timeout and connections', () => {
    for (const name of [
      'maxRequestLineBytes',
      'maxHeaderCount',
      'maxHeaderFieldBytes',
      'headersTimeoutMs',
      'maxConnections',
    ] as const) {
      expect(ZERO_BREAKS[name]).not.toBeNull()
    }
  })

  it('takes a Server header with spaces, tabs and latin-1 letters', () => {
    expect(serve(['--server-header', 'edge/1 (caf\u00e9)\tx']).serverHeader).toBe('edge/1 (caf\u00e9)\tx')
  })

  it.each([
    ['a\r\nX-Injected: 1', 'the control byte 0x0d'],
    ['a\nX-Injected: 1', 'the control byte 0x0a'],
    ['a\0b', 'the control byte 0x00'],
    ['a\x7f', 'the control byte 0x7f'],
    ['a\x1bb', 'the control byte 0x1b'],
    ['\u65e5', 'U+65E5, which is not latin-1'],
  ])('refuses the Server header %j (header injection), on one line', (value, what) => {
    const refuse = () => parseCommand(['serve', 'a.ts', '--server-header', value], {}, '/')
    expect(refuse).toThrow(expect.objectContaining({ code: 'TSGI_CLI_USAGE' }))
    expect(refuse).toThrow(`--server-header: ${JSON.stringify(value)} holds ${what}; a header value cannot`)
    expect(refuse).toThrow(/^[^\r\n]*$/)
  })

  it('reads the log and header switches', () => {
    expect(serve(['--access-log-format', 'json']).accessLog).toBe('json')
    expect(serve(['--no-access-log']).accessLog).toBe(false)
    expect(serve(['--server-header', 'x']).serverHeader).toBe('x')
    expect(serve(['--no-server-header']).serverHeader).toBe(false)
    expect(serve(['--validate']).validate).toBe(true)
  })

  it('answers help and version before anything else', () => {
    expect(parseCommand(['--help'], {}, '/').kind).toBe('help')
    expect(parseCommand(['serve', '-h'], {}, '/').kind).toBe('help')
    expect(parseCommand(['--version'], {}, '/').kind).toBe('version')
  })

  it('takes help and version as commands too', () => {
    expect(parseCommand(['help'], {}, '/').kind).toBe('help')
    expect(parseCommand(['help', 'serve'], {}, '/').kind).toBe('help')
    expect(parseCommand(['version'], {}, '/').kind).toBe('version')
  })

  it.each([
    [['serve', 'a.ts', '--wrokers', '2'], "Unknown option '--wrokers'"],
    [['serve', 'a.ts', '--workers', '0'], "--workers: '0' is not a whole number from 1 to 1024"],
    [['serve', 'a.ts', '--workers', 'two'], "--workers: 'two' is not a whole number from 1 to 1024"],
    [['serve', 'a.ts', '--workers', '100000'], "--workers: '100000' is not a whole number from 1 to 1024"],
    [['serve', 'a.ts', '--workers', '1025'], "--workers: '1025' is not a whole number from 1 to 1024"],
    [['serve', 'a.ts', '--bind', ':'], "--bind: ':' is not HOST:PORT, :PORT"],
    [['serve', 'a.ts', '--bind', ':70000'], "--bind: ':70000' is not HOST:PORT"],
    [['serve', 'a.ts', '--bind', 'localhost'], "--bind: 'localhost' is not HOST:PORT"],
    [['serve', 'a.ts', '--bind', '1.2.3.4:70000'], "--bind: '1.2.3.4:70000' is not HOST:PORT"],
    [['serve', 'a.ts', '--limit-request-line', '-1'], "starting with a dash use '--limit-request-line=-XYZ'"],
    [['serve', 'a.ts', '--limit-request-line', '1e3'], "--limit-request-line: '1e3' is not a whole number"],
    [
      ['serve', 'a.ts', '--access-log-format', 'xml'],
      "--access-log-format: 'xml' is not one of common, json",
    ],
    [['serve', 'a.ts', '--server-header', 'x', '--no-server-header'], 'contradict'],
    [['serve', 'a.ts', '--bind'], "--bind <value>' argument missing"],
    [['serve'], 'serve: missing the app'],
    [['serve', 'a.ts', 'b.ts'], "unexpected argument 'b.ts'"],
    [['app.ts'], "unknown command 'app.ts': try 'tsgi serve app.ts'"],
    [['serv', 'app.ts'], "unknown command 'serv': did you mean 'serve'?"],
    [['sevre', 'app.ts'], "unknown command 'sevre': did you mean 'serve'?"],
    [['hlep'], "unknown command 'hlep': did you mean 'help'?"],
    [['versoin'], "unknown command 'versoin': did you mean 'version'?"],
    [['start'], "unknown command 'start': try 'tsgi serve <file>[:<export>]', or 'tsgi --help'"],
    [[], 'missing command'],
  ])('refuses %j with a UsageError naming the problem', (argv, message) => {
    expect(() => parseCommand(argv, {}, '/')).toThrow(expect.objectContaining({ code: 'TSGI_CLI_USAGE' }))
    expect(() => parseCommand(argv, {}, '/')).toThrow(message)
  })

  it.each([
    [{ PORT: 'http' }, "PORT: 'http' is not a whole number"],
    [{ WEB_CONCURRENCY: '0' }, "WEB_CONCURRENCY: '0' is not a whole number from 1 to 1024"],
    [{ WEB_CONCURRENCY: '100000' }, "WEB_CONCURRENCY: '100000' is not a whole number from 1 to 1024"],
    [{ HOST: '[::1' }, "HOST/PORT: '[[::1]:8000' is not HOST:PORT"],
  ])('names the environment variable when %j is bad', (env, message) => {
    expect(() => parseCommand(['serve', 'a.ts'], env, '/')).toThrow(message)
  })
})
