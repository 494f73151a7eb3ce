/**
 * argv -> what to do. Pure: the environment comes in as a plain object, and every mistake
 * is a {@link UsageError} whose message is the one line the user sees.
 */
import { parseArgs } from 'node:util'
import { ACCESS_LOG_FORMATS, type AccessLogFormat } from '../access-log.ts'
import type { Limits } from '../limits.ts'
import { LIMIT_NAMES, limitFlag, parseArgsOptions } from './options.ts'
import { UsageError } from './usage-error.ts'

/** Everything `tsgi serve` needs, as plain data (it crosses to worker processes as JSON). */
export interface ServeConfig {
  /** `file[:export]`, as given. */
  target: string
  /** The directory `target` is relative to. */
  cwd: string
  binds: string[]
  workers: number
  validate: boolean
  accessLog: AccessLogFormat | false
  /** `undefined`: the server's default. */
  serverHeader: string | false | undefined
  limits: Partial<Limits>
}

/** What the command line asks for. */
export type Command = { kind: 'help' } | { kind: 'version' } | { kind: 'serve'; config: ServeConfig }

/** The environment variables the CLI reads. */
export type CliEnv = Record<string, string | undefined>

const COMMANDS = ['serve']

/** HOST:PORT, [IPv6]:PORT or unix:/path (RFC 3986 §3.2.2 brackets an IPv6 literal). */
const BIND = /^(?:unix:.+|(?:\[[0-9A-Fa-f:.]+\]|[^\s:[\]]+):\d{1,5})$/

function checkBind(bind: string, origin: string): string {
  const port = Number(bind.slice(bind.lastIndexOf(':') + 1))
  if (!BIND.test(bind) || (!bind.startsWith('unix:') && port > 65535)) {
    throw new UsageError(`${origin}: '${bind}' is not HOST:PORT, [IPv6]:PORT or unix:/path`)
  }
  return bind
}

function wholeNumber(text: string, origin: string, min: number): number {
  const value = /^\d+$/.test(text) ? Number(text) : Number.NaN
  if (!Number.isSafeInteger(value) || value < min) {
    throw new UsageError(`${origin}: '${text}' is not a whole number${min > 0 ? ` >= ${min}` : ''}`)
  }
  return value
}

function defaultBind(env: CliEnv): string {
  const host = env.HOST || '127.0.0.1'
  const port = env.PORT ? wholeNumber(env.PORT, 'PORT', 0) : 8000
  // An IPv6 HOST needs its brackets back to form HOST:PORT.
  return checkBind(host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`, 'HOST/PORT')
}

function parseLimits(values: Record<string, unknown>): Partial<Limits> {
  const limits: Partial<Limits> = {}
  for (const name of LIMIT_NAMES) {
    const flag = limitFlag(name)
    const text = values[flag]
    if (typeof text !== 'string') continue
    limits[name] = text === 'none' ? null : wholeNumber(text, `--${flag}`, 0)
  }
  return limits
}

function parseAccessLog(values: Record<string, unknown>): AccessLogFormat | false {
  if (values['no-access-log']) return false
  const format = (values['access-log-format'] as string | undefined) ?? 'common'
  if (!(ACCESS_LOG_FORMATS as readonly string[]).includes(format)) {
    throw new UsageError(`--access-log-format: '${format}' is not one of ${ACCESS_LOG_FORMATS.join(', ')}`)
  }
  return format as AccessLogFormat
}

function runParseArgs(argv: string[]): ReturnType<typeof parseArgs> {
  try {
    return parseArgs({ args: argv, options: parseArgsOptions(), allowPositionals: true, strict: true })
  } catch (error) {
    // node:util's messages already name the flag ("Unknown option '--wrokers'"); one line, with
    // the hint for a value that starts with a dash kept and the one about positionals dropped.
    const message = String((error as Error).message)
      .split('\n')
      .join(' ')
    throw new UsageError(message.replace(/\.? To specify a positional.*$/, '') || 'bad arguments')
  }
}

/**
 * Parses `tsgi` arguments. `env` supplies `HOST`, `PORT` and `WEB_CONCURRENCY` defaults; flags win.
 *
 * @example
 * parseCommand(['serve', 'app.ts', '--workers', '2'], {}, '/srv') // { kind: 'serve', config: { workers: 2, ... } }
 */
export function parseCommand(argv: string[], env: CliEnv, cwd: string): Command {
  const { values, positionals } = runParseArgs(argv)
  if (values.help) return { kind: 'help' }
  if (values.version) return { kind: 'version' }
  const [command, target, ...extra] = positionals
  if (command === undefined) throw new UsageError("missing command: try 'tsgi serve <file>[:<export>]'")
  if (!COMMANDS.includes(command)) {
    throw new UsageError(`unknown command '${command}': try 'tsgi serve ${command}'`)
  }
  if (target === undefined) throw new UsageError('serve: missing the app, <file>[:<export>]')
  if (extra.length > 0) throw new UsageError(`serve: unexpected argument '${extra[0]}'`)
  if (values['server-header'] !== undefined && values['no-server-header']) {
    throw new UsageError('--server-header and --no-server-header contradict each other')
  }
  const binds = values.bind as string[] | undefined
  const workers = values.workers ?? env.WEB_CONCURRENCY
  return {
    kind: 'serve',
    config: {
      target,
      cwd,
      binds: binds ? binds.map((bind) => checkBind(bind, '--bind')) : [defaultBind(env)],
      workers:
        workers === undefined
          ? 1
          : wholeNumber(String(workers), values.workers ? '--workers' : 'WEB_CONCURRENCY', 1),
      validate: values.validate === true,
      accessLog: parseAccessLog(values),
      serverHeader: values['no-server-header'] ? false : (values['server-header'] as string | undefined),
      limits: parseLimits(values),
    },
  }
}
