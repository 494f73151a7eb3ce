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
  const m = HTTP_VERSION.exec(version)
  if (m === null) throw new InvalidVersionError(version)
  if (m[1] !== '1' || (m[2] !== '0' && m[2] !== '1')) throw new UnsupportedVersionError(version)
  return { method, target: line.slice(sp1 + 1, sp2), minor: m[2] === '1' ? 1 : 0 }
}
