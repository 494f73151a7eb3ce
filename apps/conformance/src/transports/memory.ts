import { normalize } from '../normalize.ts'
import { requestHeaders, toBytes } from '../wire/request-bytes.ts'
import type { Transport } from './transport.ts'

/**
 * The framework app through its adapter, called in memory by `inject` and checked by
 * `validate()` on both sides. There is no socket: a chunked upload becomes a body without
 * `CONTENT_LENGTH`, which is what a server hands the app for one.
 */
export const memoryTransport: Transport = {
  name: 'memory',
  async start(framework) {
    const [{ inject, validate }, adapters] = await Promise.all([
      import('@tsgi/core'),
      import('@tsgi/adapters'),
    ])
    const app = validate(framework.adapter(adapters, await framework.create()))
    return {
      async request(request) {
        const response = await inject(app, {
          method: request.method ?? 'GET',
          url: request.target,
          headers: requestHeaders(request),
          body: request.chunks ? chunksOf(request.chunks) : request.body,
          environ: { SERVER_PROTOCOL: `HTTP/${request.httpVersion ?? '1.1'}` },
        })
        return normalize({
          status: response.status,
          reason: response.statusText,
          headers: response.headers,
          body: response.body,
        })
      },
      close: async () => {},
    }
  },
}

async function* chunksOf(chunks: Array<string | Uint8Array>): AsyncGenerator<Uint8Array> {
  for (const chunk of chunks) yield toBytes(chunk)
}
