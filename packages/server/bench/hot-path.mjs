#!/usr/bin/env node
// The per-request work of the server without sockets: parse a hello-world head, build the
// environ, run a one-chunk app, plan and frame the response into a null sink.
// Run after a build:  node packages/server/bench/hot-path.mjs
// Prints nanoseconds per request (median of 5 rounds of 500k). Compare before/after a change
// to the hot path; the syscalls of a real request (one read, one write) are not included.
import { buildEnviron } from '../dist/environ.js'
import { parseRequestHead } from '../dist/http/request-head.js'
import { RequestInput } from '../dist/input.js'
import { resolveLimits } from '../dist/limits.js'
import { ResponseWriter } from '../dist/response.js'

const limits = resolveLimits()
const request = Buffer.from(
  'GET / HTTP/1.1\r\nHost: 127.0.0.1:8000\r\nUser-Agent: wrk\r\nAccept: */*\r\n\r\n',
)
const conn = {
  remoteAddress: '127.0.0.1',
  remotePort: '50000',
  localAddress: '127.0.0.1',
  localPort: '8000',
  urlScheme: 'http',
  multiprocess: false,
}
const input = new RequestInput(null)
input.end()
const errors = { write() {}, writelines() {}, flush() {} }
const body = Buffer.from('Hello, World!\n')
const sink = { send: () => true, drained: () => Promise.resolve(), closed: false }
const app = (_environ, startResponse) => {
  startResponse('200 OK', [['Content-Type', 'text/plain']])
  return [body]
}
const date = new Date().toUTCString()

function one() {
  const head = parseRequestHead(request, 0, request.length, limits)
  const plan = { isHead: false, minor: 1, keepAlive: true, serverHeader: 'tsgi', date }
  const writer = new ResponseWriter(sink, plan, () => {})
  const environ = buildEnviron(head, conn, { input, errors, signal: () => null, earlyHints: async () => {} })
  writer.all(app(environ, writer.startResponse))
  writer.end()
}

const N = 500_000
const rounds = []
for (let r = 0; r < 6; r++) {
  const t0 = process.hrtime.bigint()
  for (let i = 0; i < N; i++) one()
  if (r > 0) rounds.push(Number(process.hrtime.bigint() - t0) / N) // round 0 warms the JIT
}
rounds.sort((a, b) => a - b)
console.log(
  `hot path: ${rounds[2].toFixed(0)} ns/request (rounds: ${rounds.map((r) => r.toFixed(0)).join(', ')})`,
)
