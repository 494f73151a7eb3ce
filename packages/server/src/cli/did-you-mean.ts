/**
 * The nearest known word to a mistyped one (`serv` -> `serve`), by edit distance, as git's
 * "did you mean" does; nothing when no word is close.
 */

/** Levenshtein distance: insertions, deletions and substitutions, one each. */
function distance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    const current = [i]
    for (let j = 1; j <= b.length; j++) {
      const substitution = previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1)
      current.push(Math.min(previous[j]! + 1, current[j - 1]! + 1, substitution))
    }
    previous = current
  }
  return previous[b.length]!
}

/**
 * The word of `known` nearest to `word`, if it is at most two edits away (one for a word of
 * one or two letters, which two edits turn into anything); else `undefined`.
 *
 * @example
 * didYouMean('serv', ['serve', 'help']) // 'serve'
 */
export function didYouMean(word: string, known: readonly string[]): string | undefined {
  let best: string | undefined
  let bestDistance = (word.length < 3 ? 1 : 2) + 1
  for (const candidate of known) {
    const d = distance(word.toLowerCase(), candidate)
    if (d < bestDistance) {
      best = candidate
      bestDistance = d
    }
  }
  return best
}
