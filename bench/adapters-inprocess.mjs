#!/usr/bin/env node
// In-process cost of `fromHono` alone, without sockets or the server: the same Hono app as
// bench/adapters-apps.mjs called through the adapter with test environs, CPU time per request.
// Steadier than wrk on a shared machine, and what the adapter's own changes are measured with.
//
//   node bench/adapters-inprocess.mjs [hello|json-64k] [requests]
//
// json-64k sends the 64 KiB document of bench/adapters-post.lua in four 16 KiB chunks, as a
// server's input would hand it over. Needs `packages/adapters/dist` built.
import { honoApp } from './adapters-apps.mjs'

const { fromHono } = await import('../packages/adapters/dist/index.js')
const [scenario = 'hello', count = scenario === 'hello' ? '50000' : '5000'] = process.argv.slice(2)

const item = '{"id":123456,"name":"item-name-abcdefgh","tags":["alpha","beta","gamma"],"price":12.5},'
let text = `{"items":[${item.repeat(Math.floor(65536 / item.length)).slice(0, -1)}],"pad":"`
text += `${'x'.repeat(65536 - text.length - 2)}"}`
const doc = Buffer.from(text)

/** A minimal `tsgi.input` (createEnviron's builds an AbortController per environ, which would dominate). */
class Input {
  #chunks
  constructor(chunks) {
    this.#chunks = chunks
  }
  async read() {
    return Buffer.concat(this.#chunks.splice(0))
  }
  async *[Symbol.asyncIterator]() {
    yield* this.#chunks.splice(0)
  }
}

/** A literal per request: spreading a shared object of quoted keys costs more than the adapter. */
function environ() {
  const post = scenario !== 'hello'
  const parts = []
  if (post)
    for (let offset = 0; offset < doc.length; offset += 16384)
      parts.push(doc.subarray(offset, offset + 16384))
  return {
    REQUEST_METHOD: post ? 'POST' : 'GET',
    SCRIPT_NAME: '',
    PATH_INFO: post ? '/json' : '/',
    QUERY_STRING: '',
    RAW_URI: post ? '/json' : '/',
    SERVER_NAME: '127.0.0.1',
    SERVER_PORT: '8080',
    SERVER_PROTOCOL: 'HTTP/1.1',
    REMOTE_ADDR: '127.0.0.1',
    REMOTE_PORT: '40000',
    CONTENT_TYPE: post ? 'application/json' : undefined,
    CONTENT_LENGTH: post ? String(doc.length) : undefined,
    HTTP_HOST: '127.0.0.1:8080',
    HTTP_USER_AGENT: 'wrk',
    'tsgi.version': [1, 0],
    'tsgi.url_scheme': 'http',
    'tsgi.input': new Input(parts),
    'tsgi.errors': ERRORS,
    'tsgi.multithread': false,
    'tsgi.multiprocess': false,
    'tsgi.run_once': false,
  }
}

const ERRORS = { write() {}, writelines() {}, flush() {} }

const app = fromHono(await honoApp())
const startResponse = () => async () => {}
async function one() {
  const body = await app(environ(), startResponse)
  for await (const _chunk of body) {
  }
  await body.close?.()
}

const n = Number(count)
for (let i = 0; i < Math.min(n, 3000); i++) await one()
const before = process.cpuUsage()
const started = performance.now()
for (let i = 0; i < n; i++) await one()
const cpu = process.cpuUsage(before)
const wall = performance.now() - started
console.log(
  `${scenario} on Node ${process.versions.node}: ${((cpu.user + cpu.system) / n).toFixed(2)} us CPU, ${((wall * 1000) / n).toFixed(2)} us wall per request (${n} requests)`,
)
