import type { App, Environ } from '@tsgi/core'

/** The conformance echo contract (shared/conformance/README.md), rebuilt from the environ. */
export const echoApp: App = async (environ, startResponse) => {
  const body = await environ['tsgi.input'].read()
  const json = JSON.stringify({
    method: environ.REQUEST_METHOD,
    target: environ.RAW_URI,
    version: environ.SERVER_PROTOCOL,
    headers: headersOf(environ),
    body_b64: Buffer.from(body).toString('base64'),
  })
  const bytes = Buffer.from(json, 'utf8')
  startResponse('200 OK', [
    ['Content-Type', 'application/json'],
    ['X-Echo-B64', bytes.toString('base64')],
  ])
  return [bytes]
}

function headersOf(environ: Environ): [string, string][] {
  const out: [string, string][] = []
  for (const [key, value] of Object.entries(environ)) {
    if (key.startsWith('HTTP_')) out.push([key.slice(5).toLowerCase().replaceAll('_', '-'), String(value)])
  }
  if (environ.CONTENT_TYPE !== undefined) out.push(['content-type', environ.CONTENT_TYPE])
  if (environ.CONTENT_LENGTH !== undefined) out.push(['content-length', environ.CONTENT_LENGTH])
  return out
}
