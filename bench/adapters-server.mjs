// One benchmark server process: `node bench/adapters-server.mjs <framework> <native|tsgi> [tree]`.
// Prints `listening <url>` once it accepts connections. The parent pins it to a core.
// `tree`: another checkout whose built `@tsgi/adapters` and `@tsgi/server` serve the tsgi side
// (adapters-ab.mjs); the framework itself always comes from this checkout, so both trees run
// the same framework code.
import http from 'node:http'
import { createRequire } from 'node:module'
import { pathToFileURL } from 'node:url'
import { expressApp, helloApp, honoApp, koaApp } from './adapters-apps.mjs'

const [framework, side, tree] = process.argv.slice(2)
const require = createRequire(new URL('../packages/adapters/package.json', import.meta.url))
// `hello`: no framework, node:http against the tsgi server with a gateway app (helloApp).
const apps = { express: expressApp, koa: koaApp, hono: honoApp, hello: helloApp }
const app = await apps[framework]()

async function native() {
  if (framework === 'hono') {
    const { serve } = await import(require.resolve('@hono/node-server'))
    return new Promise((resolve) => {
      const server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, (info) =>
        resolve(`http://127.0.0.1:${info.port}`),
      )
      void server
    })
  }
  const handler = framework === 'koa' ? app.callback() : framework === 'hello' ? app.node : app
  const server = http.createServer(handler)
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  return `http://127.0.0.1:${server.address().port}`
}

async function tsgi() {
  const root = tree ? pathToFileURL(`${tree}/`) : new URL('../', import.meta.url)
  const { adapt } = await import(new URL('packages/adapters/dist/index.js', root).href)
  const { serve } = await import(new URL('packages/server/dist/index.js', root).href)
  const server = await serve(framework === 'hello' ? app.gateway : adapt(app), {
    bind: ['127.0.0.1:0'],
    errorLog: (text) => process.stderr.write(text),
  })
  return server.address
}

const url = side === 'tsgi' ? await tsgi() : await native()
console.log(`listening ${url}`)
