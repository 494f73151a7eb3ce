import { UnsupportedMediaTypeError } from './errors.ts'

/** Request media types the guestbook accepts. */
export const MEDIA = {
  form: 'application/x-www-form-urlencoded',
  json: 'application/json',
} as const

/**
 * Refuses a Content-Type other than `expected` (RFC 9110 §8.3.1: type and parameter names are
 * case-insensitive) or one with a charset other than UTF-8, which is the only one we decode.
 */
export function requireMediaType(contentType: string | undefined, expected: string): void {
  const [type = '', ...params] = (contentType ?? '').split(';')
  if (type.trim().toLowerCase() !== expected) throw new UnsupportedMediaTypeError(expected)
  for (const param of params) {
    const [name = '', value = ''] = param.split('=')
    const charset = value.trim().replace(/^"|"$/g, '').toLowerCase()
    if (name.trim().toLowerCase() === 'charset' && charset !== 'utf-8') {
      throw new UnsupportedMediaTypeError(`${expected} in UTF-8`)
    }
  }
}
