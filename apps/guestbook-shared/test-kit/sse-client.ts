import { request as httpRequest, type IncomingMessage } from 'node:http'

/** An open `text/event-stream` response read over TCP. */
export interface SseConnection {
  response: IncomingMessage
  /** Resolves with the received text once it contains `needle`. */
  waitFor(needle: string): Promise<string>
  /** Closes the connection, as a browser tab does when it goes away. */
  close(): void
}

/** Opens `GET path` as an SSE client and resolves once the response headers arrived. */
export function openEventStream(url: string, headers: Record<string, string> = {}): Promise<SseConnection> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { headers: { accept: 'text/event-stream', ...headers }, agent: false })
    req.on('error', reject)
    req.on('response', (response) => {
      let received = ''
      const waiters = new Set<() => void>()
      response.setEncoding('utf8')
      response.on('data', (text: string) => {
        received += text
        for (const waiter of waiters) waiter()
      })
      response.on('error', () => {})
      resolve({
        response,
        waitFor: (needle) =>
          new Promise((done) => {
            const check = (): void => {
              if (!received.includes(needle)) return
              waiters.delete(check)
              done(received)
            }
            waiters.add(check)
            check()
          }),
        close: () => req.destroy(),
      })
    })
    req.end()
  })
}
