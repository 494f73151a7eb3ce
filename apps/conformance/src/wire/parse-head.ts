import type { ResponseHead } from '../types.ts'

/** Parses a status line and header fields (RFC 9112 §4, §5), names kept as sent. */
export function parseHead(text: string): ResponseHead {
  const [statusLine = '', ...lines] = text.replace(/\r\n\r\n$/, '').split('\r\n')
  const match = /^(HTTP\/\d\.\d) (\d{3})(?: (.*))?$/.exec(statusLine)
  if (!match) throw new Error(`malformed status line from the server: ${JSON.stringify(statusLine)}`)
  const headers: Array<[string, string]> = lines.map((line) => {
    const colon = line.indexOf(':')
    if (colon <= 0) throw new Error(`malformed header line from the server: ${JSON.stringify(line)}`)
    return [line.slice(0, colon), line.slice(colon + 1).trim()]
  })
  return { version: match[1]!, status: Number(match[2]), reason: match[3] ?? '', headers }
}
