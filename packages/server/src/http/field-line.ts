import { InvalidHeaderNameError, InvalidHeaderValueError, ObsoleteFoldingError } from '../errors.ts'
import { FIELD_VALUE_FORBIDDEN, TOKEN, trimOws } from './syntax.ts'

/**
 * Parses one `field-name ":" OWS field-value OWS` line (RFC 9112 §5), CRLF already removed,
 * into `out` as `[name, value]` pushed flat. Shared by the header section and chunked trailers.
 */
export function parseFieldLine(line: string, out: string[]): void {
  const first = line.charCodeAt(0)
  // RFC 9112 §5.2: a server MUST reject obs-fold (or replace it); we reject.
  if (first === 32 || first === 9) throw new ObsoleteFoldingError(line)
  const colon = line.indexOf(':')
  if (colon === -1) throw new InvalidHeaderValueError(line)
  const name = line.slice(0, colon)
  // RFC 9112 §5.1: no whitespace between name and colon; a server MUST reject it with 400.
  if (!TOKEN.test(name)) throw new InvalidHeaderNameError(line)
  const value = trimOws(line.slice(colon + 1))
  if (FIELD_VALUE_FORBIDDEN.test(value)) throw new InvalidHeaderValueError(line)
  out.push(name, value)
}
