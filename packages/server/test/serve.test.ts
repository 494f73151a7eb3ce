import { request } from 'node:http'
import { createServer } from 'node:net'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { serve } from '../src/server.ts'
import type { AccessLogEntry } from '../src/server-options.ts'
import { textApp } from './helpers/apps.ts'
import { roundTrip, start } from './helpers/raw-client.ts'
import { tempDir } from './helpers/temp-dir.ts'

function get(options: { socketPath?: string; port?: number; host?: string; path?: string }): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request({ ...options, agent: false }, (res) => {
      let text = ''
      res.setEncoding('latin1')
      res.on('data', (d: string) => {
        text += d
      })
      res.on('end', () => resolve(`${res.statusCode} ${text}`))
    })
    req.on('error', reject)
    req.end()
  })
}

describe('serve()', () => {
  it('listens on every bind address and reports them as URLs', async () => {
    const dir = tempDir('tsgi-serve-')
    const path = join(dir, 'sock')
    const server = await serve(textApp('hi'), { bind: ['127.0.0.1:0', `unix:${path}`], errorLog: () => {} })
    try {
      expect(server.address).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
      expect(server.addresses).toEqual([server.address, `unix:${path}`])
      const port = Number(server.address.split(':').pop())
      expect(await get({ host: '127.0.0.1', port })).toBe('200 hi')
      expect(await get({ socketPath: path })).toBe('200 hi')
    } finally {
      await server.close()
    }
  })

  it('rejects a malformed bind address with TSGI_INVALID_BIND', async () => {
    for (const bind of ['localhost', '1.2.3.4:99999', 'unix:', '[::1]8000']) {
      await expect(serve(textApp('x'), { bind: [bind] })).rejects.toMatchObject({ code: 'TSGI_INVALID_BIND' })
    }
  })

  it.each(['tsgi\r\nX-Injected: 1', 'a\nb', 'nul\x00', 'snow \u2603'])(
    'refuses the serverHeader %j with TSGI_INVALID_SERVER_HEADER (it would inject header lines)',
    async (value) => {
      await expect(serve(textApp('x'), { bind: ['127.0.0.1:0'], serverHeader: value })).rejects.toMatchObject(
        {
          code: 'TSGI_INVALID_SERVER_HEADER',
        },
      )
    },
  )

  it('releases the addresses it bound when a later one fails', async () => {
    const taken = await serve(textApp('x'), { bind: ['127.0.0.1:0'], errorLog: () => {} })
    const busy = taken.address.replace('http://', '')
    const probe = createServer()
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve))
    const free = (probe.address() as { port: number }).port
    await new Promise((resolve) => probe.close(resolve))
    try {
      await expect(serve(textApp('y'), { bind: [`127.0.0.1:${free}`, busy] })).rejects.toMatchObject({
        code: 'EADDRINUSE',
      })
      // The first address is free again.
      const again = await serve(textApp('z'), { bind: [`127.0.0.1:${free}`], errorLog: () => {} })
      await again.close()
    } finally {
      await taken.close()
    }
  })

  it('uses a listener it is given', async () => {
    const listener = createServer({ allowHalfOpen: true })
    const server = await serve(textApp('given'), {
      server: listener,
      bind: ['127.0.0.1:0'],
      errorLog: () => {},
    })
    try {
      expect(listener.listening).toBe(true)
      const port = Number(server.address.split(':').pop())
      expect(await get({ host: '127.0.0.1', port })).toBe('200 given')
    } finally {
      await server.close()
    }
  })

  it('calls accessLog once per request, and survives a logger that throws', async () => {
    const entries: AccessLogEntry[] = []
    const errors: string[] = []
    const { server, port } = await start(textApp('hello'), {
      accessLog: (entry) => {
        entries.push(entry)
        if (entries.length === 1) throw new Error('logger broke')
      },
      errorLog: (text) => errors.push(text),
    })
    try {
      const head = 'GET /a?b HTTP/1.1\r\nHost: x\r\nReferer: http://r/\r\nUser-Agent: ua/1\r\n\r\n'
      // HTTP/1.2 is served as 1.1 and logged as the client sent it.
      const text = await roundTrip(port, `${head}${head.replace('1.1', '1.2')}${head.replace('1.1', '1.0')}`)
      expect(text.match(/HTTP\/1\.1 200 OK/g)).toHaveLength(3)
      expect(entries).toHaveLength(3)
      expect(entries[0]).toMatchObject({
        remoteAddr: '127.0.0.1',
        method: 'GET',
        target: '/a?b',
        protocol: 'HTTP/1.1',
        status: 200,
        bytes: 5,
        referer: 'http://r/',
        userAgent: 'ua/1',
      })
      expect(entries.map((entry) => entry.protocol)).toEqual(['HTTP/1.1', 'HTTP/1.2', 'HTTP/1.0'])
      expect(entries[0]!.startTime).toBeInstanceOf(Date)
      expect(entries[0]!.durationMs).toBeGreaterThanOrEqual(0)
      expect(errors.join('')).toMatch(/access log failed/)
    } finally {
      await server.close()
    }
  })

  it('writes tsgi.errors text to errorLog', async () => {
    const errors: string[] = []
    const { server, port } = await start(
      (environ, startResponse) => {
        environ['tsgi.errors'].write('one\n')
        environ['tsgi.errors'].writelines(['two\n', 'three\n'])
        startResponse('200 OK', [])
        return []
      },
      { errorLog: (text) => errors.push(text) },
    )
    try {
      await roundTrip(port, 'GET / HTTP/1.0\r\n\r\n')
      expect(errors.join('')).toBe('one\ntwo\nthree\n')
    } finally {
      await server.close()
    }
  })
})
