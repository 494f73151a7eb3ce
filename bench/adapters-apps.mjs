// The apps the adapters benchmark serves, each built the way its framework's docs show.
// Every app answers GET / with a short text and POST /json (a 64 KiB JSON document)
// with a small JSON summary, so both sides parse the same bytes.
import { createRequire } from 'node:module'

// Frameworks are devDependencies of @tsgi/adapters, not of the repository root.
const require = createRequire(new URL('../packages/adapters/package.json', import.meta.url))
const load = (name) => import(require.resolve(name))

const summary = (doc) => ({ items: doc.items.length, first: doc.items[0]?.id ?? null })

export async function expressApp() {
  const { default: express } = await load('express')
  const app = express()
  app.get('/', (_req, res) => {
    res.type('text/plain').send('Hello, World!')
  })
  app.post('/json', express.json({ limit: '1mb' }), (req, res) => {
    res.json(summary(req.body))
  })
  return app
}

/** The request body as text, read with 'data' events as koa-bodyparser's raw-body does. */
function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = []
    req.on('data', (chunk) => chunks.push(chunk))
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')))
    req.on('error', reject)
  })
}

export async function koaApp() {
  const { default: Koa } = await load('koa')
  const app = new Koa()
  app.use(async (ctx) => {
    if (ctx.method === 'GET' && ctx.path === '/') {
      ctx.body = 'Hello, World!'
    } else if (ctx.method === 'POST' && ctx.path === '/json') {
      ctx.body = summary(JSON.parse(await readBody(ctx.req)))
    }
  })
  return app
}

export async function honoApp() {
  const { Hono } = await load('hono')
  const app = new Hono()
  app.get('/', (c) => c.text('Hello, World!'))
  app.post('/json', async (c) => c.json(summary(await c.req.json())))
  return app
}

/**
 * No framework: node:http's own handler and a gateway app giving the same answer (as
 * bench/node-hello.mjs and apps/hello), for what the two servers alone cost.
 */
export function helloApp() {
  const body = Buffer.from('Hello, World!\n', 'latin1')
  const length = String(body.length)
  return {
    node: (_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/plain', 'Content-Length': length })
      res.end(body)
    },
    gateway: (environ, startResponse) => {
      startResponse('200 OK', [
        ['Content-Type', 'text/plain'],
        ['Content-Length', length],
      ])
      return environ.REQUEST_METHOD === 'HEAD' ? [] : [body]
    },
  }
}
