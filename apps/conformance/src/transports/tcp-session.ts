import type { Host } from '../native-hosts.ts'
import { RawConnection } from '../wire/raw-connection.ts'
import { requestBytes } from '../wire/request-bytes.ts'
import type { Session } from './transport.ts'

/** How long a raw read waits before the scenario fails with a timeout instead of hanging. */
export const READ_TIMEOUT_MS = 5000

/** A session against any server on a port: each request on a new connection, read off the wire. */
export function tcpSession(host: Host): Session {
  const connect = (): Promise<RawConnection> => RawConnection.open(host.port, READ_TIMEOUT_MS)
  return {
    connect,
    async request(request) {
      const connection = await connect()
      try {
        await connection.write(requestBytes(request))
        return await connection.readResponse(request.method)
      } finally {
        connection.destroy()
      }
    },
    close: () => host.close(),
  }
}
