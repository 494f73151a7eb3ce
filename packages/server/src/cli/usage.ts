/**
 * The `--help` text, generated from the option table and the limits table, so the help,
 * the parser and the README cannot disagree about a flag.
 */
import { LIMITS, type LimitName } from '../limits.ts'
import { GENERAL_OPTIONS, LIMIT_NAMES, limitFlag, type OptionSpec } from './options.ts'

/** How `--help` and the README write a limit's default: `4094 bytes`, `unlimited`. */
export function describeDefault(name: LimitName): string {
  const { default: value, unit } = LIMITS[name]
  if (value === null) return 'unlimited'
  return unit === 'count' ? String(value) : `${value} ${unit}`
}

/** `-b, --bind ADDRESS` */
export function generalFlagLabel(name: string, spec: OptionSpec): string {
  const short = spec.short ? `-${spec.short}, ` : '    '
  return `${short}--${name}${spec.value ? ` ${spec.value}` : ''}`
}

/** `--limit-request-line BYTES` */
export function limitFlagLabel(name: LimitName): string {
  return `    --${limitFlag(name)} ${LIMITS[name].unit.toUpperCase()}`
}

/** The first sentence of a limit's description: the help shows it, the README the whole text. */
function firstSentence(text: string): string {
  const end = text.indexOf('. ')
  return end === -1 ? text : text.slice(0, end + 1)
}

function column(label: string, text: string): string {
  return label.length < 34 ? `  ${label.padEnd(34)}${text}` : `  ${label}\n  ${' '.repeat(34)}${text}`
}

/** The full `tsgi --help` text, ending with a newline. */
export function usage(): string {
  const general = Object.entries(GENERAL_OPTIONS).map(([name, spec]: [string, OptionSpec]) => {
    const extra = [spec.default && `default ${spec.default}`, spec.env && `env ${spec.env}`].filter(Boolean)
    return column(
      generalFlagLabel(name, spec),
      `${spec.description}${extra.length ? ` (${extra.join('; ')})` : ''}`,
    )
  })
  const limits = LIMIT_NAMES.map((name) =>
    column(
      limitFlagLabel(name),
      `${firstSentence(LIMITS[name].description)} (default ${describeDefault(name)})`,
    ),
  )
  return [
    'Usage: tsgi serve <file>[:<export>] [options]',
    '',
    'Loads <file> (.js, .mjs, .cjs, .ts, .mts, .cts), takes its default export (or <export>, or',
    "an export named 'app'), adapts it (tsgi app, Express, Koa, Hono, node or fetch handler) and serves it.",
    'SIGTERM or SIGINT drains: in-flight requests finish, then tsgi exits.',
    '',
    'Options:',
    ...general,
    '',
    "Limits (a whole number, or 'none' for no limit):",
    ...limits,
    '',
  ].join('\n')
}

const cell = (text: string): string => text.replaceAll('|', '\\|')

/**
 * The README's two flag tables (general options, then limits with their defaults and
 * reasons), from the same data as `--help`. `test/cli-readme.test.ts` checks the README
 * holds exactly these tables.
 */
export function markdownTables(): { options: string; limits: string } {
  const options = Object.entries(GENERAL_OPTIONS).map(([name, spec]: [string, OptionSpec]) => {
    const label = `\`${generalFlagLabel(name, spec).trim()}\``
    const env = spec.env
      ? spec.env
          .split(', ')
          .map((v) => `\`${v}\``)
          .join(', ')
      : ''
    return `| ${cell(label)} | ${spec.default ? `\`${spec.default}\`` : ''} | ${env} | ${cell(spec.description)} |`
  })
  const limits = LIMIT_NAMES.map((name) => {
    const label = `\`${limitFlagLabel(name).trim()}\``
    return `| ${label} | \`${name}\` | ${describeDefault(name)} | ${cell(LIMITS[name].description)} |`
  })
  return {
    options: ['| flag | default | env | what it does |', '| --- | --- | --- | --- |', ...options].join('\n'),
    limits: ['| flag | `limits` key | default | what and why |', '| --- | --- | --- | --- |', ...limits].join(
      '\n',
    ),
  }
}
