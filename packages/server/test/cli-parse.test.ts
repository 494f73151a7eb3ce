import { describe, expect, it } from 'vitest'
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

  it.each([
    [['serve', 'a.ts', '--wrokers', '2'], "Unknown option '--wrokers'"],
    [['serve', 'a.ts', '--workers', '0'], "--workers: '0' is not a whole number >= 1"],
    [['serve', 'a.ts', '--workers', 'two'], "--workers: 'two' is not a whole number >= 1"],
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
    [[], 'missing command'],
  ])('refuses %j with a UsageError naming the problem', (argv, message) => {
    expect(() => parseCommand(argv, {}, '/')).toThrow(expect.objectContaining({ code: 'TSGI_CLI_USAGE' }))
    expect(() => parseCommand(argv, {}, '/')).toThrow(message)
  })

  it.each([
    [{ PORT: 'http' }, "PORT: 'http' is not a whole number"],
    [{ WEB_CONCURRENCY: '0' }, "WEB_CONCURRENCY: '0' is not a whole number >= 1"],
  ])('names the environment variable when %j is bad', (env, message) => {
    expect(() => parseCommand(['serve', 'a.ts'], env, '/')).toThrow(message)
  })
})
