let cachedSecond = -1
let cached = ''

/**
 * The IMF-fixdate for `Date` (RFC 9110 §6.6.1), formatted once per second: formatting a
 * date per response costs more than the rest of a hello-world head.
 */
export function httpDate(now: number = Date.now()): string {
  const second = Math.floor(now / 1000)
  if (second !== cachedSecond) {
    cachedSecond = second
    cached = new Date(second * 1000).toUTCString()
  }
  return cached
}
