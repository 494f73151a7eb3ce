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
      limitFlagLabel(name).trim(),
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
