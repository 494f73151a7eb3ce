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
  /** 0 for HTTP/1.0, 1 for HTTP/1.1. */
  minor: 0 | 1
}

/**
 * Parses `method SP request-target SP HTTP-version` (RFC 9112 §3): exactly two single spaces.
 * A malformed version is 400; a well-formed one other than 1.0/1.1 is 505 (RFC 9110 §15.6.6).
 */
export function parseRequestLine(line: string): RequestLine {
  const sp1 = line.indexOf(' ')
  const sp2 = sp1 === -1 ? -1 : line.indexOf(' ', sp1 + 1)
  if (sp1 <= 0 || sp2 === -1 || sp2 === sp1 + 1 || line.indexOf(' ', sp2 + 1) !== -1) {
    throw new InvalidRequestLineError(line)
  }
  const method = line.slice(0, sp1)
  if (!TOKEN.test(method)) throw new InvalidMethodError(method)
  const version = line.slice(sp2 + 1)
  // The two versions served, compared whole: no match array on the common path.
  const minor = version === 'HTTP/1.1' ? 1 : version === 'HTTP/1.0' ? 0 : refuseVersion(version)
  return { method, target: line.slice(sp1 + 1, sp2), minor }
}

/** Any other version: malformed is 400, well-formed but not 1.0/1.1 is 505. */
function refuseVersion(version: string): never {
  if (HTTP_VERSION.test(version)) throw new UnsupportedVersionError(version)
  throw new InvalidVersionError(version)
}
