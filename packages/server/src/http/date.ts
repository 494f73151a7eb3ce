let cached: string | null = null

function expire(): void {
  cached = null
}

/**
 * The IMF-fixdate for `Date` (RFC 9110 §6.6.1). Formatted once per second and cleared by a
 * timer at the next second boundary, as node:http does, so a response reads no clock at all:
 * formatting a date per response costs more than the rest of a hello-world head.
 */
export function httpDate(): string {
  if (cached === null) {
    const now = Date.now()
    cached = new Date(now).toUTCString()
    // unref: the cache must never keep a drained process alive.
    setTimeout(expire, 1000 - (now % 1000)).unref()
  }
  return cached
}
