import { ConnectNotSupportedError, InvalidTargetError } from '../errors.ts'
import { isHostValue } from './host-value.ts'
import { TARGET_CHARS, USERINFO } from './syntax.ts'

/**
 * A request-target split into the parts the environ needs. A class, not an object literal, as
 * every per-request record of the server: V8 may allocate a literal's objects straight into the
 * old generation once most of them survive scavenges, and then everything they point to
 * outlives every scavenge until the next full GC (docs/benchmarks.md, "Per-request objects").
 */
export class Target {
  readonly form: 'origin' | 'absolute' | 'asterisk'
  /** The raw (still percent-encoded) path: `/a%20b`; `*` for `OPTIONS *`. */
  readonly path: string
  /** After `?`, before any `#`; `''` when absent. */
  readonly query: string
  /** absolute-form only: `host[:port]` from the target, userinfo removed. */
  readonly authority: string | null
  /** absolute-form only: `'http'` or `'https'`. */
  readonly scheme: string | null

  constructor(
    form: 'origin' | 'absolute' | 'asterisk',
    path: string,
    query: string,
    authority: string | null,
    scheme: string | null,
  ) {
    this.form = form
    this.path = path
    this.query = query
    this.authority = authority
    this.scheme = scheme
  }
}

const ABSOLUTE = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/([^/?#]*)(.*)$/

/**
 * Classifies a request-target (RFC 9112 §3.2). origin-form for every method; absolute-form
 * (`http(s)://...`) for every method, as §3.2.2 requires of a server; `*` only for OPTIONS
 * (§3.2.4); authority-form only belongs to CONNECT, which tsgi answers 501 (an origin server
 * is not a tunnel, RFC 9110 §9.3.6). Anything else is 400.
 */
export function parseTarget(method: string, target: string): Target {
  if (!TARGET_CHARS.test(target)) throw new InvalidTargetError(target)
  if (method === 'CONNECT') throw new ConnectNotSupportedError()
  if (target.charCodeAt(0) === 47 /* / */) return splitPathQuery(target, 'origin', null, null)
  if (target === '*') {
    if (method !== 'OPTIONS') throw new InvalidTargetError(target)
    // PATH_INFO '*' (as core's environ.path-info rule allows): the request is about the server.
    return new Target('asterisk', '*', '', null, null)
  }
  const m = ABSOLUTE.exec(target)
  if (m === null) throw new InvalidTargetError(target)
  const scheme = m[1]!.toLowerCase()
  if (scheme !== 'http' && scheme !== 'https') throw new InvalidTargetError(target)
  // RFC 9110 §4.2.4: userinfo is deprecated; it is dropped so it never reaches Host-based
  // routing, and must be well formed (RFC 3986 §3.2.1): one `@`, no `\` or other byte that a
  // WHATWG URL parser (a proxy in front, the app's own `new URL`) would split the authority at
  // elsewhere, so every parser agrees on the host.
  const rawAuthority = m[2]!
  const at = rawAuthority.lastIndexOf('@')
  if (at !== -1 && !USERINFO.test(rawAuthority.slice(0, at))) throw new InvalidTargetError(target)
  const authority = rawAuthority.slice(at + 1)
  if (authority === '' || !isHostValue(authority)) throw new InvalidTargetError(target)
  const rest = m[3]!
  return splitPathQuery(rest.charCodeAt(0) === 47 ? rest : `/${rest}`, 'absolute', authority, scheme)
}

function splitPathQuery(
  pathAndQuery: string,
  form: Target['form'],
  authority: string | null,
  scheme: string | null,
): Target {
  // A fragment is not part of a request-target (RFC 9112 §3.2); clients should not send
  // one, but if they do it must not leak into PATH_INFO or QUERY_STRING.
  const hash = pathAndQuery.indexOf('#')
  const noFragment = hash === -1 ? pathAndQuery : pathAndQuery.slice(0, hash)
  const q = noFragment.indexOf('?')
  if (q === -1) return new Target(form, noFragment, '', authority, scheme)
  return new Target(form, noFragment.slice(0, q), noFragment.slice(q + 1), authority, scheme)
}
