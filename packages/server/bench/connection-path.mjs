#!/usr/bin/env node
// The whole per-request work of a Connection without the kernel: 50 connections on fake
// sockets (EventEmitters whose write() only counts bytes) each get a hello-world request as
// a 'data' event and answer it from apps/hello's app. Unlike hot-path.mjs it includes the
// connection state machine, deadlines, the Date header and the exchange objects.
// Run after a build:  taskset -c 0 node packages/server/bench/connection-path.mjs [distDir]
// (pass a copy of an older dist/ to compare). Prints ns/request: the minimum and median of
// 7 rounds of 400k; on a shared machine, compare minimums over a few alternating runs.
import { EventEmitter } from 'node:events'

const dist = process.argv[2] ?? new URL('../dist', import.meta.url).pathname
const { Connection } = await import(`${dist}/connection.js`)
const { resolveLimits } = await import(`${dist}/limits.js`)
const { ErrorLogStream } = await import(`${dist}/error-stream.js`)

const body = Buffer.from('Hello, World!\n', 'latin1')
const app = (environ, startResponse) => {
  startResponse('200 OK', [
    ['Content-Type', 'text/plain'],
    ['Content-Length', '14'],
  ])
  return environ.REQUEST_METHOD === 'HEAD' ? [] : [body]
}

class FakeSocket extends EventEmitter {
  remoteAddress = '127.0.0.1'
  remotePort = 50000
  localAddress = '127.0.0.1'
  localPort = 8000
  writableNeedDrain = false
  bytes = 0
  setNoDelay() {}
  pause() {}
  resume() {}
  cork() {}
  uncork() {}
  end() {}
  destroy() {}
  write(chunk) {
    this.bytes += chunk.length
    return true
  }
}

const ctx = {
  app,
  limits: resolveLimits(),
  serverHeader: null,
  urlScheme: 'http',
  multiprocess: false,
  errorLog: (text) => process.stderr.write(text),
  accessLog: null,
  errors: new ErrorLogStream(() => {}),
  closing: false,
}
const sockets = Array.from({ length: 50 }, () => {
  const socket = new FakeSocket()
  new Connection(socket, ctx, () => {})
  return socket
})
// What wrk sends.
const request = 'GET / HTTP/1.1\r\nHost: 127.0.0.1:8000\r\n\r\n'
const N = 400_000
const rounds = []
for (let r = 0; r < 8; r++) {
  const t0 = process.hrtime.bigint()
  for (let i = 0; i < N; i++) sockets[i % 50].emit('data', Buffer.from(request, 'latin1'))
  if (r > 0) rounds.push(Number(process.hrtime.bigint() - t0) / N) // round 0 warms the JIT
}
rounds.sort((a, b) => a - b)
const expected = (N * 8) / 50
const perResponse = sockets[0].bytes / expected
console.log(
  `connection path: min ${rounds[0].toFixed(0)} ns/request, median ${rounds[3].toFixed(0)} ` +
    `(${perResponse} bytes per response)`,
)
