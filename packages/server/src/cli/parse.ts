/**
 * argv -> what to do. Pure: the environment comes in as a plain object, and every mistake
 * is a {@link UsageError} whose message is the one line the user sees.
 */
import { parseArgs } from 'node:util'
import { ACCESS_LOG_FORMATS, type AccessLogFormat } from '../access-log.ts'
import type { Limits } from '../limits.ts'
import { didYouMean } from './did-you-mean.ts'
import { parseLimitValue } from './limit-value.ts'
import { LIMIT_NAMES, limitFlag, MAX_WORKERS, parseArgsOptions } from './options.ts'
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

/** The commands `tsgi` knows; `help` and `version` also come as `--help` and `--version`. */
const COMMANDS = ['serve', 'help', 'version'] as const

/**
 * HOST:PORT, :PORT, [IPv6]:PORT or unix:/path (RFC 3986 §3.2.2 brackets an IPv6 literal).
 * An empty host is every IPv4 interface, as gunicorn's `--bind :$PORT` (Cloud Run's recipe).
 */
const BIND = /^(?:unix:.+|(?:\[[0-9A-Fa-f:.]+\]|[^\s:[\]]*):\d{1,5})$/

function checkBind(bind: string, origin: string): string {
  const port = Number(bind.slice(bind.lastIndexOf(':') + 1))
  if (!BIND.test(bind) || (!bind.startsWith('unix:') && port > 65535)) {
    throw new UsageError(`${origin}: '${bind}' is not HOST:PORT, :PORT, [IPv6]:PORT or unix:/path`)
  }
  return bind
}

function wholeNumber(text: string, origin: string, min: number, max = Number.MAX_SAFE_INTEGER): number {
  const value = /^\d+$/.test(text) ? Number(text) : Number.NaN
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    const range = max < Number.MAX_SAFE_INTEGER ? ` from ${min} to ${max}` : min > 0 ? ` >= ${min}` : ''
    throw new UsageError(`${origin}: '${text}' is not a whole number${range}`)
  }
  return value
}

/**
 * An environment variable's value, with an empty one counting as unset: `PORT= tsgi ...`, or a
 * platform that exports every variable it knows, means "no value", not "a bad value".
 */
function fromEnv(env: CliEnv, name: string): string | undefined {
  return env[name] || undefined
}

function defaultBind(env: CliEnv): string {
  // HOST may come bracketed ('[::1]', as in a URL) or bare ('::1'); HOST:PORT needs the brackets once.
  const host = (fromEnv(env, 'HOST') ?? '127.0.0.1').replace(/^\[(.*)\]$/, '$1')
  const portText = fromEnv(env, 'PORT')
  const port = portText === undefined ? 8000 : wholeNumber(portText, 'PORT', 0)
  return checkBind(host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`, 'HOST/PORT')
}

function parseWorkers(values: Record<string, unknown>, env: CliEnv): number {
  const flag = values.workers as string | undefined
  const text = flag ?? fromEnv(env, 'WEB_CONCURRENCY')
  if (text === undefined) return 1
  return wholeNumber(text, flag === undefined ? 'WEB_CONCURRENCY' : '--workers', 1, MAX_WORKERS)
}

/** RFC 9110 §5.5: a field value holds no control byte but HTAB, and one byte a character (latin-1). */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control bytes is the point
const NOT_FIELD_VALUE = /[\x00-\x08\x0a-\x1f\x7f]|[^\x00-\xff]/u

/**
 * `--server-header`, which goes into every response head as it is: a CR or LF in it would
 * start a header line of the user's text (`$'tsgi\r\nSet-Cookie: ...'`), so it is refused.
 */
function parseServerHeader(values: Record<string, unknown>): string | false | undefined {
  if (values['no-server-header']) return false
  const text = values['server-header'] as string | undefined
  const bad = text === undefined ? null : NOT_FIELD_VALUE.exec(text)
  if (bad) {
    const code = bad[0].codePointAt(0)!
    const what =
      code > 0xff
        ? `U+${code.toString(16).toUpperCase().padStart(4, '0')}, which is not latin-1`
        : `the control byte 0x${code.toString(16).padStart(2, '0')}`
    throw new UsageError(
      `--server-header: ${JSON.stringify(text)} holds ${what}; a header value cannot hold CR, LF, NUL or other control bytes`,
    )
  }
  return text
}

function parseLimits(values: Record<string, unknown>): Partial<Limits> {
  const limits: Partial<Limits> = {}
  for (const name of LIMIT_NAMES) {
    const flag = limitFlag(name)
    const text = values[flag]
    if (typeof text === 'string') limits[name] = parseLimitValue(name, text, `--${flag}`)
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
 * Parses `tsgi` arguments. `env` supplies `HOST`, `PORT` and `WEB_CONCURRENCY` defaults (empty
 * ones count as unset); flags win.
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
  if (command === 'help') return { kind: 'help' }
  if (command === 'version') return { kind: 'version' }
  if (command !== 'serve') throw new UsageError(unknownCommand(command))
  if (target === undefined) throw new UsageError('serve: missing the app, <file>[:<export>]')
  if (extra.length > 0) throw new UsageError(`serve: unexpected argument '${extra[0]}'`)
  if (values['server-header'] !== undefined && values['no-server-header']) {
    throw new UsageError('--server-header and --no-server-header contradict each other')
  }
  const binds = values.bind as string[] | undefined
  return {
    kind: 'serve',
    config: {
      target,
      cwd,
      binds: binds ? binds.map((bind) => checkBind(bind, '--bind')) : [defaultBind(env)],
      workers: parseWorkers(values, env),
      validate: values.validate === true,
      accessLog: parseAccessLog(values),
      serverHeader: parseServerHeader(values),
      limits: parseLimits(values),
    },
  }
}

/** The line for a command `tsgi` does not know: the nearest one, or the likely intent. */
function unknownCommand(command: string): string {
  const near = didYouMean(command, COMMANDS)
  if (near !== undefined) return `unknown command '${command}': did you mean '${near}'?`
  // A file where the command goes: `serve` was left out.
  if (/[./\\]/.test(command)) return `unknown command '${command}': try 'tsgi serve ${command}'`
  return `unknown command '${command}': try 'tsgi serve <file>[:<export>]', or 'tsgi --help'`
}
