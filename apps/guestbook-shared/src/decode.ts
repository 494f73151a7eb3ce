import { BadEncodingError, MalformedJsonError } from './errors.ts'

const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true })
const lenientUtf8 = new TextDecoder('utf-8', { ignoreBOM: true })
const STRAY_PERCENT = /%(?![0-9a-fA-F]{2})/

/** A form field list decoded leniently, for showing back what the user sent. */
export type FormFields = Record<string, string>

function decodeForm(bytes: Uint8Array, strict: boolean): FormFields {
  const text = strict ? decodeUtf8(bytes) : lenientUtf8.decode(bytes)
  // No prototype, so a field named `__proto__` or `constructor` is just a field.
  const fields: FormFields = Object.create(null)
  if (text === '') return fields
  for (const pair of text.split('&')) {
    const eq = pair.indexOf('=')
    const rawName = eq === -1 ? pair : pair.slice(0, eq)
    const rawValue = eq === -1 ? '' : pair.slice(eq + 1)
    const name = percentDecode(rawName, strict)
    // The first occurrence wins, as the form has one field of each name.
    if (!(name in fields)) fields[name] = percentDecode(rawValue, strict)
  }
  return fields
}

function percentDecode(raw: string, strict: boolean): string {
  const text = raw.replaceAll('+', ' ')
  // WHATWG URL §5.1 keeps a stray `%` literally; strict parsing refuses it, as no browser sends one.
  if (strict && STRAY_PERCENT.test(text))
    throw new BadEncodingError('The form data has a malformed %-escape.')
  const bytes = percentBytes(text)
  return strict ? decodeUtf8(bytes) : lenientUtf8.decode(bytes)
}

// Percent escapes decode to bytes, then the whole field decodes as UTF-8, so a multi-byte
// character split over several escapes (`%C3%A9`) comes out whole.
function percentBytes(text: string): Uint8Array {
  const utf8 = Buffer.from(text, 'utf8')
  const out = Buffer.alloc(utf8.length)
  let n = 0
  for (let i = 0; i < utf8.length; i++) {
    const byte = utf8[i]!
    if (byte === 0x25 && isHexPair(utf8[i + 1], utf8[i + 2])) {
      out[n++] = Number.parseInt(String.fromCharCode(utf8[i + 1]!, utf8[i + 2]!), 16)
      i += 2
    } else {
      out[n++] = byte
    }
  }
  return out.subarray(0, n)
}

function isHexPair(a: number | undefined, b: number | undefined): boolean {
  const hex = (c: number | undefined): boolean =>
    c !== undefined && ((c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66))
  return hex(a) && hex(b)
}

/** Decodes UTF-8, refusing invalid sequences (a lenient decoder would store U+FFFD silently). */
export function decodeUtf8(bytes: Uint8Array): string {
  try {
    return strictUtf8.decode(bytes)
  } catch {
    throw new BadEncodingError('The request is not valid UTF-8.')
  }
}

/**
 * Parses an `application/x-www-form-urlencoded` body strictly: invalid UTF-8 (raw or
 * percent-escaped) and malformed `%` escapes throw {@link BadEncodingError}.
 */
export function parseForm(bytes: Uint8Array): FormFields {
  return decodeForm(bytes, true)
}

/** Parses a form body leniently (U+FFFD for bad bytes): only for echoing input back to the user. */
export function parseFormLeniently(bytes: Uint8Array): FormFields {
  return decodeForm(bytes, false)
}

/** Parses a JSON body that must be a JSON object; throws {@link MalformedJsonError} otherwise. */
export function parseJsonObject(bytes: Uint8Array): Record<string, unknown> {
  let value: unknown
  try {
    value = JSON.parse(decodeUtf8(bytes))
  } catch {
    throw new MalformedJsonError('The request body is not valid UTF-8 JSON.')
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new MalformedJsonError('The request body must be a JSON object.')
  }
  return value as Record<string, unknown>
}
