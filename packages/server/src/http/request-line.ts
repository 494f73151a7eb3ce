import {
  InvalidMethodError,
  InvalidRequestLineError,
  InvalidVersionError,
  UnsupportedVersionError,
} from '../errors.ts'
import { HTTP_VERSION, TOKEN } from './syntax.ts'

/** The three parts of a request line. */
export interface RequestLine {
  method: string
  target: string
  /** 0 for HTTP/1.0, 1 for HTTP/1.1 (and for HTTP/1.2 to 1.9, served as 1.1). */
  minor: 0 | 1
  /** The version as received (`SERVER_PROTOCOL`): `HTTP/1.2` stays `HTTP/1.2`, served as 1.1. */
  protocol: string
}

/**
 * Parses `method SP request-target SP HTTP-version` (RFC 9112 §3): exactly two single spaces.
 * A malformed version is 400. A higher minor version of HTTP/1 is served as HTTP/1.1 (RFC 9110
 * §2.5: a recipient processes it as the highest minor version it implements); another major
 * version is 505 (RFC 9110 §15.6.6).
 */
export function parseRequestLine(line: string): RequestLine {
  const sp1 = line.indexOf(' ')
  const sp2 = sp1 === -1 ? -1 : line.indexOf(' ', sp1 + 1)
  if (sp1 <= 0 || sp2 === -1 || sp2 === sp1 + 1 || line.indexOf(' ', sp2 + 1) !== -1) {
    throw new InvalidRequestLineError(line)
  }
  const method = line.slice(0, sp1)
  // GET and POST are most requests: known tokens skip the regex.
  if (method !== 'GET' && method !== 'POST' && !TOKEN.test(method)) throw new InvalidMethodError(method)
  // The two versions served, compared in place: no slice, no match array on the common path.
  const minor =
    line.length === sp2 + 9 && line.startsWith('HTTP/1.', sp2 + 1)
      ? versionMinor(line.charCodeAt(sp2 + 8), line)
      : refuseVersion(line.slice(sp2 + 1))
  return { method, target: line.slice(sp1 + 1, sp2), minor, protocol: protocolOf(line, sp2) }
}

/** The version as received, as a shared string for the two most requests use. */
function protocolOf(line: string, sp2: number): string {
  const digit = line.charCodeAt(sp2 + 8)
  if (digit === 49) return 'HTTP/1.1'
  if (digit === 48) return 'HTTP/1.0'
  return line.slice(sp2 + 1)
}

/** The minor digit of `HTTP/1.x`: 0, else 1 (HTTP/1.1 or higher), else refused. */
function versionMinor(digit: number, line: string): 0 | 1 {
  if (digit === 49) return 1
  if (digit === 48) return 0
  if (digit > 49 && digit <= 57) return 1
  return refuseVersion(line.slice(line.length - 8))
}

/** Any other version: malformed is 400, well-formed but not HTTP/1 is 505. */
function refuseVersion(version: string): never {
  if (HTTP_VERSION.test(version)) throw new UnsupportedVersionError(version)
  throw new InvalidVersionError(version)
}
