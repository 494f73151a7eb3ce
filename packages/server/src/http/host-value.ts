import { isIPv6 } from 'node:net'

/** `reg-name = *( unreserved / pct-encoded / sub-delims )`, non-empty, then an optional `:port`. */
const REG_NAME_AND_PORT = /^(?:[A-Za-z0-9\-._~!$&'()*+,;=]|%[0-9A-Fa-f]{2})+(?::[0-9]*)?$/
/** `IPvFuture = "v" 1*HEXDIG "." 1*( unreserved / sub-delims / ":" )`. */
const IP_FUTURE = /^[vV][0-9A-Fa-f]+\.[A-Za-z0-9\-._~!$&'()*+,;=:]+$/
const PORT = /^(?::[0-9]*)?$/

/**
 * `Host = uri-host [ ":" port ]` (RFC 9110 §7.2) with `uri-host` as RFC 3986 §3.2.2 has it: an
 * IP-literal (an IPv6 address or IPvFuture in brackets), or a reg-name (which covers IPv4) with
 * whole `%XX` escapes. An empty value is valid (RFC 9112 §3.2: a target without authority); an
 * empty host before a port is not, as no `http` URI may have one (RFC 9110 §4.2.1).
 */
export function isHostValue(value: string): boolean {
  if (value === '') return true
  if (value.charCodeAt(0) !== 91 /* [ */) return REG_NAME_AND_PORT.test(value)
  const close = value.indexOf(']')
  if (close === -1 || !PORT.test(value.slice(close + 1))) return false
  const literal = value.slice(1, close)
  // node's isIPv6 takes a zone (`%eth0`), which RFC 3986's IP-literal has no room for.
  return IP_FUTURE.test(literal) || (isIPv6(literal) && !literal.includes('%'))
}
