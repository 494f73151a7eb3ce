import { isExpressApp } from './express.ts'
import { isKoaApp } from './koa.ts'

/** What `adapt()` recognised a value as. */
export type AppKind = 'express' | 'koa' | 'hono' | 'fetch' | 'node' | 'tsgi'

/**
 * The brand that marks a function as a gateway app beyond doubt:
 * `app[Symbol.for('tsgi.app')] = true`. A global symbol, so two copies of
 * `@tsgi/adapters` agree on it.
 */
export const TSGI_APP: symbol = Symbol.for('tsgi.app')

type Shape = Record<PropertyKey, unknown>

const isFunction = (value: unknown): value is (...args: unknown[]) => unknown => typeof value === 'function'

/** A Hono (4) instance: `fetch` plus its route table and in-memory `request()`. */
function isHono(x: Shape): boolean {
  return isFunction(x.fetch) && isFunction(x.request) && Array.isArray(x.routes)
}

/** A `node:http` (or https) server with a request listener attached. */
function isNodeServer(x: Shape): boolean {
  return (
    isFunction(x.listen) &&
    isFunction(x.listeners) &&
    (x.listeners as (e: string) => unknown[])('request').length > 0
  )
}

/**
 * Recognises an app by its shape, never by `instanceof`, so an app built with another
 * copy of the framework (a different version, a bundled copy) is recognised too.
 *
 * Checked in this order: the {@link TSGI_APP} brand; Express (`isExpressApp`: a function with
 * `handle`, `set`, `get`, `request`, `response`); Koa (`isKoaApp`: `callback`, `use`, `context`); Hono (`fetch`,
 * `request`, `routes`); any object with `fetch()` (Bun/Deno/workers style `{ fetch }`);
 * a `node:http` server with a `'request'` listener; then bare functions by arity:
 * one parameter is a fetch handler `(request)`, three a Connect-style node handler
 * `(req, res, next)`, anything else (usually two) a gateway app `(environ, startResponse)`.
 * A bare `(req, res)` node handler looks exactly like a gateway app, so it must be
 * wrapped with `fromNodeHandler()` explicitly. Returns `null` for anything else.
 *
 * @example
 * detectKind(express()) // 'express'
 * detectKind({ fetch: () => new Response('hi') }) // 'fetch'
 */
export function detectKind(x: unknown): AppKind | null {
  if (typeof x === 'function') {
    const shape = x as unknown as Shape
    if (shape[TSGI_APP] === true) return 'tsgi'
    if (isExpressApp(x)) return 'express'
    if (isClass(x)) return null
    if (x.length === 1) return 'fetch'
    if (x.length === 3) return 'node'
    return 'tsgi'
  }
  if (typeof x !== 'object' || x === null) return null
  const shape = x as Shape
  if (isKoaApp(x)) return 'koa'
  if (isHono(shape)) return 'hono'
  if (isFunction(shape.fetch)) return 'fetch'
  if (isNodeServer(shape)) return 'node'
  return null
}

/** `class Koa {}` itself (not an instance) is a function too; calling it throws. */
export function isClass(x: unknown): boolean {
  return typeof x === 'function' && Function.prototype.toString.call(x).startsWith('class')
}
