import { tcpSession } from './tcp-session.ts'
import type { Transport } from './transport.ts'

/** The framework on its own server (`node:http`, `@hono/node-server`): the reference. */
export const nativeTransport: Transport = {
  name: 'native',
  start: async (framework) => tcpSession(await framework.native(await framework.create())),
}
