import type { NormalizedResponse, ResponseHead } from '../types.ts'

/** How a response body is delimited, by RFC 9112 §6.3's rules in order. */
export function framingOf(head: ResponseHead, method: string): NonNullable<NormalizedResponse['framing']> {
  if (method === 'HEAD' || head.status < 200 || head.status === 204 || head.status === 304) return 'none'
  const field = (name: string): string | undefined =>
    head.headers.find(([key]) => key.toLowerCase() === name)?.[1]
  if (/(^|,)\s*chunked\s*$/i.test(field('transfer-encoding') ?? '')) return 'chunked'
  if (field('content-length') !== undefined) return 'length'
  return 'close'
}
