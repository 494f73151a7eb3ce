// The app of the memory check in bench/server.mjs. PUT reads the whole request body from
// tsgi.input and answers its length; GET /bytes?n=N streams N zero bytes in 64 KiB chunks,
// pulled by the server as the socket drains (no buffering of the whole body anywhere).
const CHUNK = Buffer.alloc(64 * 1024)

async function* zeros(total) {
  for (let sent = 0; sent < total; sent += CHUNK.length) {
    yield total - sent >= CHUNK.length ? CHUNK : CHUNK.subarray(0, total - sent)
  }
}

export default async function app(environ, startResponse) {
  if (environ.REQUEST_METHOD === 'PUT') {
    let received = 0
    for await (const chunk of environ['tsgi.input']) received += chunk.length
    startResponse('200 OK', [['Content-Type', 'text/plain']])
    return [Buffer.from(String(received))]
  }
  const total = Number(new URLSearchParams(environ.QUERY_STRING).get('n') ?? '0')
  startResponse('200 OK', [
    ['Content-Type', 'application/octet-stream'],
    ['Content-Length', String(total)],
  ])
  return zeros(total)
}
