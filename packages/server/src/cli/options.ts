/**
 * The flags of `tsgi serve`, as data: the general options below, plus one flag per row of
 * the limits table (`limits.ts`), so a new limit is a new flag, in `--help` and the README,
 * without another line here.
 */
import type { ParseArgsConfig } from 'node:util'
import { LIMITS, type LimitName } from '../limits.ts'

/** One general option: its `parseArgs` shape plus what `--help` prints about it. */
export interface OptionSpec {
  type: 'string' | 'boolean'
  short?: string
  multiple?: boolean
  /** The placeholder `--help` shows for the value, e.g. `HOST:PORT`. */
  value?: string
  /** The environment variable that supplies the default, if any. */
  env?: string
  /** The default `--help` shows. */
  default?: string
  description: string
}

/**
 * The most `--workers` (or `WEB_CONCURRENCY`) takes: far beyond any useful count (gunicorn
 * suggests 2-4 per core), low enough that a typo such as `--workers 100000` is refused instead
 * of forking until memory runs out.
 */
export const MAX_WORKERS = 1024

/** The options of `tsgi serve` that are not limits. */
export const GENERAL_OPTIONS = {
  bind: {
    type: 'string',
    short: 'b',
    multiple: true,
    value: 'ADDRESS',
    env: 'HOST, PORT',
    default: '127.0.0.1:8000',
    description:
      'Listen on HOST:PORT, :PORT (every IPv4 interface), [IPv6]:PORT or unix:/path. Repeat to listen on several.',
  },
  workers: {
    type: 'string',
    short: 'w',
    value: 'N',
    env: 'WEB_CONCURRENCY',
    default: '1',
    description: `Worker processes sharing the listeners (node:cluster), at most ${MAX_WORKERS}; above 1 a supervisor restarts them.`,
  },
  validate: {
    type: 'boolean',
    description:
      'Wrap the app in validate() from @tsgi/core: every spec violation fails loudly. For development.',
  },
  'access-log-format': {
    type: 'string',
    value: 'FORMAT',
    default: 'common',
    description: 'Access log on stdout, one line per request: common (CLF plus duration) or json.',
  },
  'no-access-log': { type: 'boolean', description: 'Write no access log.' },
  'server-header': {
    type: 'string',
    value: 'TEXT',
    default: 'tsgi',
    description: 'Value of the Server response header (no control bytes).',
  },
  'no-server-header': { type: 'boolean', description: 'Send no Server header.' },
  help: { type: 'boolean', short: 'h', description: 'Show this help and exit.' },
  version: { type: 'boolean', short: 'v', description: 'Print the version and exit.' },
} as const satisfies Record<string, OptionSpec>

/** The name of a general option, e.g. `'bind'`. */
export type GeneralOptionName = keyof typeof GENERAL_OPTIONS

/** The CLI flag of a limit without its dashes, e.g. `'limit-request-line'`. */
export function limitFlag(name: LimitName): string {
  return LIMITS[name].flag.replace(/^-+/, '')
}

/** Every limit name, in table order. */
export const LIMIT_NAMES = Object.keys(LIMITS) as LimitName[]

/** The `parseArgs` options: the general ones plus one string flag per limit. */
export function parseArgsOptions(): NonNullable<ParseArgsConfig['options']> {
  const options: NonNullable<ParseArgsConfig['options']> = {}
  for (const [name, spec] of Object.entries(GENERAL_OPTIONS) as [string, OptionSpec][]) {
    // parseArgs rejects keys that are present but undefined, so copy only the ones set.
    options[name] = {
      type: spec.type,
      ...(spec.short ? { short: spec.short } : {}),
      ...(spec.multiple ? { multiple: true } : {}),
    }
  }
  for (const name of LIMIT_NAMES) options[limitFlag(name)] = { type: 'string' }
  return options
}
