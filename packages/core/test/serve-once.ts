import type { App, Body, StartResponse, Write } from '../src/index.ts'

/** How a test server may misbehave, to exercise the server-side rules of `validate`. */
export interface ServerQuirks {
  /** Replaces the correct startResponse. */
  startResponse?: StartResponse
  /** Extra arguments for the app call. */
  extraArgs?: unknown[]
  /** Replaces the default consumption (iterate once, then close). */
  consume?: (body: Body) => Promise<void>
}

/**
 * A minimal in-memory server for validator tests: calls `app(environ, startResponse)`, iterates
 * the body once, closes it, and resolves to the bytes sent. It is correct unless `quirks` say otherwise.
 */
export async function serveOnce(
  app: App,
  environ: unknown,
  quirks: ServerQuirks = {},
): Promise<Uint8Array[]> {
  const sent: Uint8Array[] = []
  let status: string | undefined
  let headersSent = false
  const write: Write = async (chunk) => {
    if (chunk.byteLength > 0) headersSent = true
    sent.push(chunk)
  }
  const correct: StartResponse = (newStatus, _headers, excInfo) => {
    if (excInfo !== undefined && headersSent) throw excInfo
    if (excInfo === undefined && status !== undefined) throw new Error('startResponse called twice')
    status = newStatus
    return write
  }
  const call = app as (...args: unknown[]) => Body | Promise<Body>
  const body = await call(environ, quirks.startResponse ?? correct, ...(quirks.extraArgs ?? []))
  if (quirks.consume) {
    await quirks.consume(body)
    return sent
  }
  try {
    for await (const chunk of body) {
      if (chunk.byteLength > 0) headersSent = true
      sent.push(chunk)
    }
  } finally {
    await body.close?.()
  }
  return sent
}
