#!/usr/bin/env node
// The per-request cost of the Node bridge without sockets: the server's own request parsing,
// environ and response writer (from packages/server/dist) around `fromNodeHandler`/`adapt`,
// answering into a null sink. Ten requests are in flight at once and each starts on its own turn
// of the event loop, as on a server; a 64 KiB JSON upload arrives in two pieces, the last one a
// turn later (as 65310 + 226 bytes do over loopback).
//
//   node packages/adapters/bench/node-bridge.mjs [raw|express|koa] [hello|json] [requests]
//
// Prints CPU microseconds per request (user + system, GC threads included), median of 7 rounds.
// Needs packages/adapters/dist and packages/server/dist built. Compare before/after a change in
// the same conditions; on a shared machine prefer several runs. ADAPTERS_DIST=/path/to/index.js
// measures another build of the adapters (an older commit's, say) against the same server.

const root = new URL('../../../', import.meta.url)
const load = (path) => import(new URL(path, root).href)
const { buildEnviron } = await load('packages/server/dist/environ.js')
const { parseRequestHead } = await load('packages/server/dist/http/request-head.js')
const { RequestInput } = await load('packages/server/dist/input.js')
const { resolveLimits } = await load('packages/server/dist/limits.js')
const { ResponseWriter } = await load('packages/server/dist/response.js')
const { adapt, fromNodeHandler } = await import(
  process.env.ADAPTERS_DIST || new URL('packages/adapters/dist/index.js', root).href
)
const { expressApp, koaApp } = await load('bench/adapters-apps.mjs')

const [framework = 'raw', scenario = 'hello', count = '20000'] = process.argv.slice(2)
const N = Number(count)
const items = []
while (JSON.stringify({ items }).length < 64 * 1024)
  items.push({ id: items.length, name: `item ${items.length}` })
const json = Buffer.from(JSON.stringify({ items }))
const head = Buffer.from(
  scenario === 'json'
    ? `POST /json HTTP/1.1\r\nHost: 127.0.0.1:8000\r\nContent-Type: application/json\r\nContent-Length: ${json.length}\r\n\r\n`
    : 'GET / HTTP/1.1\r\nHost: 127.0.0.1:8000\r\nUser-Agent: wrk\r\nAccept: */*\r\n\r\n',
)
const limits = resolveLimits()
const conn = {
  remoteAddress: '127.0.0.1',
  remotePort: '50000',
  localAddress: '127.0.0.1',
  localPort: '8000',
  urlScheme: 'http',
  multiprocess: false,
}
const errors = { write: (text) => process.stderr.write(text), writelines() {}, flush() {} }
const sink = { send: () => true, drained: () => Promise.resolve(), closed: false }
const date = new Date().toUTCString()
// As the server does: the signal is built only when read.
const signal = () => new AbortController().signal

function rawHandler(req, res) {
  if (req.method === 'GET') {
    res.setHeader('Content-Type', 'text/plain')
    res.end('Hello, World!')
    return
  }
  const chunks = []
  req.on('data', (chunk) => chunks.push(chunk))
  req.on('end', () => {
    const doc = JSON.parse(Buffer.concat(chunks).toString('utf8'))
    res.setHeader('Content-Type', 'application/json')
    res.end(JSON.stringify({ items: doc.items.length }))
  })
}

const app =
  framework === 'raw'
    ? fromNodeHandler(rawHandler)
    : adapt(framework === 'koa' ? await koaApp() : await expressApp())
const turn = () => new Promise((resolve) => setImmediate(resolve))

async function request() {
  await turn()
  const input = new RequestInput(null)
  if (scenario === 'json') {
    input.push(json.subarray(0, json.length - 226))
    setImmediate(() => {
      input.push(json.subarray(json.length - 226))
      input.end()
    })
  } else {
    input.end()
  }
  const plan = { isHead: false, minor: 1, keepAlive: true, serverHeader: 'tsgi', date }
  const writer = new ResponseWriter(sink, plan, () => {})
  const environ = buildEnviron(parseRequestHead(head, 0, head.length, limits), conn, {
    input,
    errors,
    signal,
    earlyHints: async () => {},
  })
  const body = await app(environ, writer.startResponse)
  if (Array.isArray(body)) writer.all(body)
  else for await (const chunk of body) writer.chunk(chunk)
  await body.close?.()
  writer.end()
}

async function round(requests) {
  const before = process.cpuUsage()
  await Promise.all(
    Array.from({ length: 10 }, async () => {
      for (let i = 0; i < requests / 10; i++) await request()
    }),
  )
  const used = process.cpuUsage(before)
  return (used.user + used.system) / requests
}

await round(Math.min(N, 3000)) // warms the JIT
const rounds = []
for (let r = 0; r < 7; r++) rounds.push(await round(N))
rounds.sort((a, b) => a - b)
console.log(
  `${framework} ${scenario}: ${rounds[3].toFixed(1)} µs CPU/request (rounds: ${rounds.map((r) => r.toFixed(1)).join(', ')})`,
)
