import { serveTsgi } from './serve-tsgi.ts'
import { tcpSession } from './tcp-session.ts'
import type { Transport } from './transport.ts'

/** The framework app through its adapter, on the tsgi server over TCP. */
export const tsgiTransport: Transport = {
  name: 'tsgi',
  async start(framework) {
    const adapters = await import('@tsgi/adapters')
    return tcpSession(await serveTsgi(framework.gateway(adapters)))
  },
}
