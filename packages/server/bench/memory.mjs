#!/usr/bin/env node
// Memory stays flat while 1 GiB goes up and 1 GiB comes down through one tsgi server.
// Run after a build:  node packages/server/bench/memory.mjs [MiB]   (default 1024)
// Prints peak RSS growth over the baseline; the server and client share this process,
// and both stream with backpressure, so the growth should be a few MiB, not the body size.
import { connect } from 'node:net'
import { serve } from '../dist/index.js'

const mib = Number(process.argv[2] ?? 1024)
const total = mib * 1024 * 1024
const block = Buffer.alloc(64 * 1024, 120)

const app = async (environ, startResponse) => {
  if (environ.REQUEST_METHOD === 'POST') {
    let n = 0
    for await (const chunk of environ['tsgi.input']) n += chunk.length
    startResponse('200 OK', [])
    return [Buffer.from(String(n))]
  }
  startResponse('200 OK', [['Content-Length', String(total)]])
  return (async function* () {
    for (let sent = 0; sent < total; sent += block.length) yield block
  })()
}

const server = await serve(app, { bind: ['127.0.0.1:0'] })
const port = Number(server.address.split(':').pop())
globalThis.gc?.()
const baseline = process.memoryUsage().rss
let peak = baseline
const sampler = setInterval(() => {
  peak = Math.max(peak, process.memoryUsage().rss)
}, 20)

function request(head, send) {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port }, async () => {
      socket.write(head)
      if (send) {
        for (let sent = 0; sent < total; sent += block.length) {
          if (!socket.write(block)) await new Promise((r) => socket.once('drain', r))
        }
      }
    })
    let bytes = 0
    let tail = ''
    socket.on('data', (d) => {
      bytes += d.length
      tail = (tail + d.toString('latin1')).slice(-32)
    })
    socket.on('error', reject)
    socket.on('close', () => resolve({ bytes, tail }))
  })
}

const started = performance.now()
const up = await request(
  `POST / HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: ${total}\r\n\r\n`,
  true,
)
const down = await request('GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n', false)
clearInterval(sampler)
await server.close()
const ok = up.tail.endsWith(String(total)) && down.bytes > total
console.log(
  `${mib} MiB up + ${mib} MiB down in ${((performance.now() - started) / 1000).toFixed(1)} s; ` +
    `peak RSS growth ${((peak - baseline) / 1024 / 1024).toFixed(1)} MiB; ${ok ? 'bodies complete' : 'INCOMPLETE'}`,
)
process.exitCode = ok ? 0 : 1
