import type { AddressInfo, ListenOptions, Server } from 'node:net'
import { InvalidBindError } from './errors.ts'

/**
 * Parses one `bind` entry into `listen()` options.
 * @example parseBind('[::1]:8000') // { host: '::1', port: 8000 }
 */
export function parseBind(bind: string): ListenOptions {
  if (bind.startsWith('unix:')) {
    const path = bind.slice(5)
    if (path === '') throw new InvalidBindError(bind)
    return { path }
  }
  const m = /^(?:\[([0-9A-Fa-f:.]+)\]|([^:[\]]*)):([0-9]{1,5})$/.exec(bind)
  if (m === null) throw new InvalidBindError(bind)
  const port = Number(m[3])
  if (port > 65535) throw new InvalidBindError(bind)
  return { host: m[1] ?? (m[2] || '0.0.0.0'), port }
}

/** The URL of a listening server: `http://127.0.0.1:8000`, `http://[::1]:8000` or `unix:/path`. */
export function listenerUrl(server: Server, scheme: 'http' | 'https'): string {
  const address = server.address()
  if (typeof address === 'string') return `unix:${address}`
  const { address: host, port, family } = address as AddressInfo
  return family === 'IPv6' ? `${scheme}://[${host}]:${port}` : `${scheme}://${host}:${port}`
}
