// The baseline of bench/server.mjs: the same hello world on node:http, with the same
// response headers and body as apps/hello served by tsgi.
import http from 'node:http'

const body = Buffer.from('Hello, World!\n', 'latin1')
const server = http.createServer((_req, res) => {
  res.writeHead(200, { 'Content-Type': 'text/plain', 'Content-Length': String(body.length) })
  res.end(body)
})
server.listen(0, '127.0.0.1', () => {
  const { port } = server.address()
  process.stderr.write(`node:http listening on http://127.0.0.1:${port}\n`)
})
process.on('SIGTERM', () => server.close(() => process.exit(0)))
