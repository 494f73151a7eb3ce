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
    "Limits (a whole number, or 'none' for no limit; 0 only where it leaves the server usable):",
    ...limits,
    '',
  ].join('\n')
}

const cell = (text: string): string => text.replaceAll('|', '\\|')

/** A Markdown table with its columns padded as biome formats Markdown, so `biome ci` agrees. */
function markdownTable(header: string[], rows: string[][]): string {
  const widths = header.map((title, i) =>
    Math.max(3, title.length, ...rows.map((row) => row[i]?.length ?? 0)),
  )
  const line = (cells: string[]): string =>
    `| ${cells.map((text, i) => text.padEnd(widths[i]!)).join(' | ')} |`
  return [line(header), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)].join('\n')
}

/**
 * The README's two flag tables (general options, then limits with their defaults and
 * reasons), from the same data as `--help`. `test/cli-readme.test.ts` checks the README
 * holds exactly these tables.
 */
export function markdownTables(): { options: string; limits: string } {
  const options = Object.entries(GENERAL_OPTIONS).map(([name, spec]: [string, OptionSpec]) => [
    cell(`\`${generalFlagLabel(name, spec).trim()}\``),
    spec.default ? `\`${spec.default}\`` : '',
    spec.env
      ? spec.env
          .split(', ')
          .map((variable) => `\`${variable}\``)
          .join(', ')
      : '',
    cell(spec.description),
  ])
  const limits = LIMIT_NAMES.map((name) => [
    `\`${limitFlagLabel(name).trim()}\``,
    `\`${name}\``,
    describeDefault(name),
    cell(LIMITS[name].description),
  ])
  return {
    options: markdownTable(['flag', 'default', 'env', 'what it does'], options),
    limits: markdownTable(['flag', '`limits` key', 'default', 'what and why'], limits),
  }
}
