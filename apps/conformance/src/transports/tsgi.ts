import { serveTsgi } from './serve-tsgi.ts'
import { tcpSession } from './tcp-session.ts'
import type { Transport } from './transport.ts'

/**
 * The framework app on the tsgi server over TCP, adapted by `adapt()` as `tsgi serve` does, so
 * shape detection is covered too (memory names the adapter explicitly).
 */
export const tsgiTransport: Transport = {
  name: 'tsgi',
  async start(framework) {
    const { adapt } = await import('@tsgi/adapters')
    return tcpSession(await serveTsgi(adapt(await framework.create())))
  },
}
