/**
 * The echo app of the conformance contract (`corpus/README.md`): it reads the whole request
 * body and answers with the request as the app saw it, as JSON, in the body and (base64) in
 * the `X-Echo-B64` header, so a HEAD request can be checked too.
 */
import type { App, Environ, HeaderList } from '@tsgi/core'

/** The request as the echo contract describes it; strings are latin-1 decodings of bytes. */
export interface Echo {
  method: string
  target: string
  version: string
  headers: HeaderList
  body_b64: string
}

/** Reads `tsgi.input` to its end; chunks are collected, never re-encoded. */
async function readBody(environ: Environ): Promise<Buffer> {
  const chunks: Uint8Array[] = []
  for await (const chunk of environ['tsgi.input']) chunks.push(chunk)
  return Buffer.concat(chunks)
}

/**
 * Rebuilds header fields from the environ: `HTTP_X_A` -> `x-a`, plus the two CGI keys that
 * carry headers without the prefix (PEP 3333: `CONTENT_TYPE`, `CONTENT_LENGTH`).
 */
export function headersOf(environ: Environ): HeaderList {
  const headers: HeaderList = []
  for (const [key, value] of Object.entries(environ)) {
    if (typeof value !== 'string') continue
    if (key.startsWith('HTTP_')) headers.push([key.slice(5).toLowerCase().replaceAll('_', '-'), value])
    else if (key === 'CONTENT_TYPE' || key === 'CONTENT_LENGTH') {
      headers.push([key.toLowerCase().replace('_', '-'), value])
    }
  }
  return headers
}

/** Echoes every request back as JSON; the default export and `app` are the same function. */
export const app: App = async (environ, startResponse) => {
  const body = await readBody(environ)
  const echo: Echo = {
    method: environ.REQUEST_METHOD,
    target: environ.RAW_URI ?? '',
    version: environ.SERVER_PROTOCOL,
    headers: headersOf(environ),
    body_b64: body.toString('base64'),
  }
  // JSON strings hold latin-1 code points; UTF-8 is how the runner decodes the JSON text.
  const json = Buffer.from(JSON.stringify(echo), 'utf8')
  startResponse('200 OK', [
    ['Content-Type', 'application/json'],
    ['Content-Length', String(json.length)],
    ['X-Echo-B64', json.toString('base64')],
  ])
  return environ.REQUEST_METHOD === 'HEAD' ? [] : [json]
}

export default app
