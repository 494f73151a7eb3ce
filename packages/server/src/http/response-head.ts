import { type HeaderList, HOP_BY_HOP_FIELDS } from '@tsgi/core'
import { AppResponseError } from '../errors.ts'
import { statusLine } from './status.ts'
import { TOKEN } from './syntax.ts'

/** How the response body is delimited on the wire (RFC 9112 §6). */
export type BodyMode = 'none' | 'length' | 'chunked' | 'close'

/**
 * What `planResponse` decided: the head to send and how to frame the body. A class, not an object literal
 * (docs/benchmarks.md, "Per-request objects").
 */
export class ResponsePlan {
  /** Status line and fields, ending in the blank line; a latin-1 string. */
  readonly head: string
  readonly status: number
  readonly mode: BodyMode
  /** The Content-Length, for `mode === 'length'` (and HEAD); -1 when none. */
  readonly length: number
  /** The connection may serve another request after this response. */
  readonly keepAlive: boolean

  constructor(head: string, status: number, mode: BodyMode, length: number, keepAlive: boolean) {
    this.head = head
    this.status = status
    this.mode = mode
    this.length = length
    this.keepAlive = keepAlive
  }
}

/**
 * The request facts and server settings a response head depends on. A class, not an object literal
 * (docs/benchmarks.md, "Per-request objects").
 */
export class PlanRequest {
  readonly isHead: boolean
  readonly minor: 0 | 1
  /**
   * False for an `Expect: 100-continue` request with a body until the body is invited (then the
   * framing's again); dropped to false on graceful close.
   */
  keepAlive: boolean
  readonly serverHeader: string | null
  readonly date: string

  constructor(isHead: boolean, minor: 0 | 1, keepAlive: boolean, serverHeader: string | null, date: string) {
    this.isHead = isHead
    this.minor = minor
    this.keepAlive = keepAlive
    this.serverHeader = serverHeader
    this.date = date
  }
}

// A status is three digits, 200-599 for a final response; the reason phrase is optional.
// RFC 9112 §4: the SP after the code is required, even before an empty reason phrase.
const STATUS = /^([2-5][0-9][0-9]) [\t \x21-\x7e\x80-\xff]*$/
// Field values: no CR, LF, NUL or other CTL (header injection), and latin-1 only.
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control bytes is the point
const BAD_VALUE = /[\x00-\x08\x0a-\x1f\x7f\u0100-\uffff]/
const DIGITS = /^[0-9]+$/

/**
 * Validates the app's status and headers and builds the response head. Hop-by-hop fields
 * (RFC 9110 §7.6.1) belong to the connection, which the server owns: the app's are dropped,
 * except that `Connection: close` is honoured by closing after the response. The body framing
 * is Content-Length when known (the app's field, or `knownLength`), else chunked on HTTP/1.1,
 * else close-delimited; HEAD, 204 and 304 have no body (RFC 9110 §6.4.1), and 204 never
 * carries Content-Length (RFC 9110 §8.6).
 */
export function planResponse(
  status: string,
  headers: HeaderList,
  knownLength: number | null,
  req: PlanRequest,
): ResponsePlan {
  const code = statusCode(status)
  let keepAlive = req.keepAlive
  let head = `HTTP/1.1 ${status}\r\n`
  let appLength = -1
  let hasDate = false
  let hasServer = false
  for (let i = 0; i < headers.length; i++) {
    const header = headers[i]!
    if (!Array.isArray(header) || header.length !== 2) {
      throw new AppResponseError(`invalid header ${JSON.stringify(header)}: expected a [name, value] pair`)
    }
    const name = header[0]
    const value = header[1]
    const kind = classifyValid(name)
    if (typeof value !== 'string' || BAD_VALUE.test(value)) {
      throw new AppResponseError(`invalid value for header ${name}: ${JSON.stringify(value)}`)
    }
    switch (kind) {
      case 'hop':
        continue
      case 'connection':
        if (/(?:^|,)[ \t]*close[ \t]*(?:,|$)/i.test(value)) keepAlive = false
        // Fields the app names in Connection are hop-by-hop too (RFC 9110 §7.6.1).
        if (NAMES_A_FIELD.test(value))
          return planResponse(status, withoutNominated(headers), knownLength, req)
        continue
      case 'content-length':
        if (!DIGITS.test(value) || (appLength !== -1 && appLength !== Number(value))) {
          throw new AppResponseError(`invalid Content-Length ${JSON.stringify(value)}`)
        }
        if (appLength !== -1) continue
        appLength = Number(value)
        if (code === 204) continue
        break
      case 'date':
        hasDate = true
        break
      case 'server':
        hasServer = true
        break
    }
    head += `${name}: ${value}\r\n`
  }
  if (!hasDate) head += `Date: ${req.date}\r\n`
  if (!hasServer && req.serverHeader !== null) head += `Server: ${req.serverHeader}\r\n`
  let mode: BodyMode
  let length = -1
  if (req.isHead || code === 204 || code === 304) {
    mode = 'none'
    // An app that returned its GET body for HEAD told us the length; an empty body says nothing
    // (validate() asks apps for one), and `Content-Length: 0` would misstate the GET response
    // (RFC 9110 §9.3.2, §8.6).
    if (appLength === -1 && req.isHead && knownLength !== null && knownLength > 0)
      head += `Content-Length: ${knownLength}\r\n`
  } else if (appLength !== -1) {
    mode = 'length'
    length = appLength
  } else if (knownLength !== null) {
    mode = 'length'
    length = knownLength
    head += `Content-Length: ${knownLength}\r\n`
  } else if (req.minor === 1) {
    mode = 'chunked'
    head += 'Transfer-Encoding: chunked\r\n'
  } else {
    // RFC 9112 §6.3 rule 8: an HTTP/1.0 client reads an undelimited body to the close.
    mode = 'close'
    keepAlive = false
  }
  if (!keepAlive) head += 'Connection: close\r\n\r\n'
  else if (req.minor === 0) head += 'Connection: keep-alive\r\n\r\n'
  else head += '\r\n'
  return new ResponsePlan(head, code, mode, length, keepAlive)
}

let lastStatus = ''
let lastCode = 0

/** The code of a valid status line; apps repeat the same few, so the last one is remembered. */
function statusCode(status: string): number {
  if (status === lastStatus) return lastCode
  const m = STATUS.exec(status)
  if (m === null) throw new AppResponseError(`invalid status ${JSON.stringify(status)}`)
  lastStatus = status
  lastCode = Number(m[1])
  return lastCode
}

// A Connection value with a token other than close and keep-alive: it names a field to drop.
const NAMES_A_FIELD = /(?:^|,)[ \t]*(?!(?:close|keep-alive)[ \t]*(?:,|$))[^, \t]/i

/** `headers` without the fields their Connection values name, and Connection kept as `close` only. */
function withoutNominated(headers: HeaderList): HeaderList {
  const named = new Set<string>()
  let close = false
  for (const header of headers) {
    if (!Array.isArray(header)) continue
    const [name, value] = header
    if (typeof name !== 'string' || name.toLowerCase() !== 'connection' || typeof value !== 'string') continue
    for (const token of value.split(',')) {
      const lower = token.trim().toLowerCase()
      if (lower === 'close') close = true
      else if (lower !== '' && lower !== 'keep-alive') named.add(lower)
    }
  }
  const kept = headers.filter(
    (header) =>
      !Array.isArray(header) ||
      typeof header[0] !== 'string' ||
      !(named.has(header[0].toLowerCase()) || header[0].toLowerCase() === 'connection'),
  )
  if (close) kept.push(['Connection', 'close'])
  return kept
}

type FieldClass = 'hop' | 'connection' | 'content-length' | 'date' | 'server' | 'other'

// Valid field names and their class, cached: apps send the same few dozen names every time.
const NAME_CLASS = new Map<string, FieldClass>()
const NAME_CLASS_MAX = 512

/** The class of a field name, after checking it is a token; throws for an invalid name. */
function classifyValid(name: unknown): FieldClass {
  const known = typeof name === 'string' ? NAME_CLASS.get(name) : undefined
  if (known !== undefined) return known
  if (typeof name !== 'string' || !TOKEN.test(name)) {
    throw new AppResponseError(`invalid header name ${JSON.stringify(name)}`)
  }
  const found = classify(name)
  if (NAME_CLASS.size < NAME_CLASS_MAX) NAME_CLASS.set(name, found)
  return found
}

/**
 * What the server does with a field of this name. The hop-by-hop names are core's one list (the
 * validator and the bridges use it too); this runs once per distinct name (NAME_CLASS caches it)
 * and for early hints, so it need not be fast.
 */
function classify(name: string): FieldClass {
  const lower = name.toLowerCase()
  switch (lower) {
    case 'connection':
      return 'connection'
    case 'content-length':
      return 'content-length'
    case 'date':
      return 'date'
    case 'server':
      return 'server'
    case 'status':
      // CGI's way to set the status (SPEC headers.no-status), never a field on the wire.
      return 'hop'
  }
  return HOP_BY_HOP_FIELDS.has(lower) ? 'hop' : 'other'
}

/**
 * A complete response the server sends on its own (errors, 503): always closes the connection.
 * To a `HEAD` request it has the same head and no content (RFC 9110 §9.3.2): a client reads no
 * body after the head of a HEAD response, and would take one for the next response.
 */
export function serverResponse(
  code: number,
  date: string,
  serverHeader: string | null,
  head = false,
): string {
  const body = `${statusLine(code)}\n`
  const server = serverHeader === null ? '' : `Server: ${serverHeader}\r\n`
  return (
    `HTTP/1.1 ${statusLine(code)}\r\nDate: ${date}\r\n${server}Content-Type: text/plain; charset=latin1\r\n` +
    `Content-Length: ${body.length}\r\nConnection: close\r\n\r\n${head ? '' : body}`
  )
}

/** An interim response (`100 Continue`, `103 Early Hints`) with optional fields. */
export function interimResponse(code: 100 | 103, headers: HeaderList = []): string {
  if (!Array.isArray(headers))
    throw new AppResponseError('early hints must be an array of [name, value] pairs')
  let head = `HTTP/1.1 ${statusLine(code)}\r\n`
  for (const header of headers) {
    const [name, value] = Array.isArray(header) && header.length === 2 ? header : [undefined, undefined]
    if (typeof name !== 'string' || !TOKEN.test(name) || typeof value !== 'string' || BAD_VALUE.test(value)) {
      throw new AppResponseError(`invalid early hint ${JSON.stringify(header)}`)
    }
    // A 1xx has no content: no framing fields (RFC 9110 §8.6, RFC 9112 §6.1), and the
    // connection's own fields are the server's.
    const kind = classify(name)
    if (kind === 'hop' || kind === 'connection' || kind === 'content-length') continue
    head += `${name}: ${value}\r\n`
  }
  return `${head}\r\n`
}

/** The line before each chunk of a chunked body. */
export function chunkHeader(size: number): string {
  return `${size.toString(16)}\r\n`
}
