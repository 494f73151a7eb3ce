import { createServer, type Server } from 'node:net'
import { fromExpress } from '@tsgi/adapters'
import type { App, Body } from '@tsgi/core'
import express5 from 'express'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { AllowEntry } from '../allow-list.ts'
import { allowedBy } from '../src/allow.ts'
import { createAppState } from '../src/apps/app-state.ts'
import { createExpressApp } from '../src/apps/express.ts'
import { diffObservations } from '../src/diff.ts'
import type { Framework } from '../src/frameworks.ts'
import { listenNodeHttp } from '../src/native-hosts.ts'
import { runFramework } from '../src/run-framework.ts'
import { SCENARIOS } from '../src/scenario-list.ts'
import { RawConnection } from '../src/wire/raw-connection.ts'

describe('diff', () => {
  const response = (headers: Record<string, string[]>, body = 'x') => ({
    response: { status: 200, headers, body },
  })

  it('reports a changed, a missing and a reordered Set-Cookie', () => {
    const native = response({ 'set-cookie': ['a=1', 'b=2'] })
    expect(diffObservations(native, response({ 'set-cookie': ['b=2', 'a=1'] }), 'tsgi')).toHaveLength(1)
    expect(diffObservations(native, response({ 'set-cookie': ['a=1'] }), 'tsgi')[0]?.field).toBe(
      'response.headers.set-cookie',
    )
    expect(diffObservations(native, response({}), 'memory')).toHaveLength(1)
  })

  it('leaves framing out in memory only, and Content-Length only when one side lacks it', () => {
    const native = response({ connection: ['keep-alive'], 'content-length': ['1'] })
    expect(diffObservations(native, response({}), 'memory')).toEqual([])
    expect(diffObservations(native, response({}), 'tsgi').map((d) => d.field)).toEqual([
      'response.headers.connection',
      'response.headers.content-length',
    ])
    expect(diffObservations(native, response({ 'content-length': ['2'] }), 'memory')).toHaveLength(1)
  })
})

describe('allow-list matching', () => {
  const entry: AllowEntry = {
    scenario: 'form: *',
    framework: 'hono|koa*',
    way: 'tsgi',
    field: '*framing|*headers.content-length',
    native: '"chunked"|absent',
    reason: 'test',
  }
  const where = { scenario: 'form: post', framework: 'koa2', way: 'tsgi' as const }

  it('matches globs, alternatives and values (absent included)', () => {
    expect(
      allowedBy([entry], where, { field: 'response.framing', native: '"chunked"', got: '"length"' }),
    ).toBe(entry)
    expect(
      allowedBy([entry], where, {
        field: 'response.headers.content-length',
        native: undefined,
        got: '["0"]',
      }),
    ).toBe(entry)
  })

  it('does not match another way, field or value', () => {
    expect(
      allowedBy(
        [entry],
        { ...where, way: 'memory' },
        { field: 'response.framing', native: '"chunked"', got: '' },
      ),
    ).toBeUndefined()
    expect(
      allowedBy([entry], where, { field: 'response.body', native: '"chunked"', got: '' }),
    ).toBeUndefined()
    expect(
      allowedBy([entry], where, { field: 'response.framing', native: '"length"', got: '' }),
    ).toBeUndefined()
  })
})

describe('raw connection', () => {
  let server: Server
  let port = 0
  beforeAll(async () => {
    // Chunks with an extension, a trailer field, and the response split at awkward places.
    const parts = [
      'HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nSet-Cookie: a=1\r\nSet-Cookie: b=2\r\n\r\n3;x=y\r',
      '\nabc\r\n2\r\nde\r\n0\r\nX-Trailer: t\r\n\r\n',
    ]
    server = createServer((socket) => {
      socket.once('data', () => {
        socket.write(parts[0]!)
        setTimeout(() => socket.end(parts[1]!), 5)
      })
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    port = (server.address() as { port: number }).port
  })
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())))

  it('decodes chunked bodies and records interim responses and repeated fields', async () => {
    const connection = await RawConnection.open(port, 1000)
    await connection.write('GET / HTTP/1.1\r\nHost: x\r\n\r\n')
    const response = await connection.readResponse()
    connection.destroy()
    expect(response).toMatchObject({ status: 200, body: 'abcde', framing: 'chunked', interim: [100] })
    expect(response.headers['set-cookie']).toEqual(['a=1', 'b=2'])
  })
})

/** A gateway app that changes the response on its way out, the way a faulty adapter would. */
function mutate(app: App, change: 'none' | 'drop-cookie' | 'flip-byte'): App {
  return async (environ, startResponse) => {
    const body = await app(environ, (status, headers, excInfo) => {
      // Drops the last Set-Cookie only: the others, and responses without cookies, stay as they were.
      const last = headers.findLastIndex(([name]) => name.toLowerCase() === 'set-cookie')
      const kept = change === 'drop-cookie' ? headers.filter((_, index) => index !== last) : headers
      return startResponse(status, kept, excInfo)
    })
    if (change !== 'flip-byte') return body
    return (async function* (): AsyncGenerator<Uint8Array> {
      let first = true
      for await (const chunk of body as AsyncIterable<Uint8Array>) {
        const copy = Uint8Array.from(chunk)
        if (first && copy.byteLength > 0) copy[0] = (copy[0] ?? 0) ^ 0xff
        first = copy.byteLength === 0 && first
        yield copy
      }
    })() as Body
  }
}

describe('the suite catches a faulty adapter', () => {
  const scenarios = SCENARIOS.filter((s) =>
    ['form: POST answers 303 with three Set-Cookie', 'binary: download all 256 byte values'].includes(s.name),
  )
  const framework = (change: Parameters<typeof mutate>[1]): Framework => ({
    name: `express5 (${change})`,
    create: async () => mutate(fromExpress(createExpressApp(express5, createAppState())), change),
    adapter: (_adapters, app) => app as App,
    native: () => listenNodeHttp(createExpressApp(express5, createAppState())),
  })
  const verdicts = async (change: Parameters<typeof mutate>[1]) =>
    (await runFramework(framework(change), scenarios)).map(
      (cell) => `${cell.scenario} ${cell.way} ${cell.verdict}`,
    )

  it('passes a faithful one (the control)', async () => {
    expect((await verdicts('none')).filter((v) => v.endsWith('fail'))).toEqual([])
  })

  it('fails when a Set-Cookie is lost', async () => {
    expect((await verdicts('drop-cookie')).filter((v) => v.endsWith('fail'))).toEqual([
      'form: POST answers 303 with three Set-Cookie memory fail',
      'form: POST answers 303 with three Set-Cookie tsgi fail',
    ])
  })

  it('fails when one body byte changes', async () => {
    expect((await verdicts('flip-byte')).filter((v) => v.endsWith('fail'))).toEqual([
      'form: POST answers 303 with three Set-Cookie memory fail',
      'form: POST answers 303 with three Set-Cookie tsgi fail',
      'binary: download all 256 byte values memory fail',
      'binary: download all 256 byte values tsgi fail',
    ])
  })
})
