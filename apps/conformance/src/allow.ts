import type { AllowEntry } from '../allow-list.ts'
import type { Difference } from './diff.ts'
import type { WayName } from './types.ts'

/** `*` matches any run of characters, `|` separates alternatives; everything else is literal. */
function glob(pattern: string): RegExp {
  const alternatives = pattern.split('|').map((part) => part.split('*').map(literal).join('.*'))
  return new RegExp(`^(?:${alternatives.join('|')})$`)
}

function literal(text: string): string {
  return text.replace(/[.+?^${}()|[\]\\]/g, '\\$&')
}

/** The first allow-list entry that covers this difference, if any. */
export function allowedBy(
  entries: readonly AllowEntry[],
  where: { scenario: string; framework: string; way: WayName },
  difference: Difference,
): AllowEntry | undefined {
  return entries.find(
    (entry) =>
      glob(entry.scenario).test(where.scenario) &&
      glob(entry.framework).test(where.framework) &&
      glob(entry.way).test(where.way) &&
      glob(entry.field).test(difference.field) &&
      glob(entry.native ?? '*').test(difference.native ?? 'absent') &&
      glob(entry.got ?? '*').test(difference.got ?? 'absent'),
  )
}
