import type { App } from '@tsgi/core'
import type createExpress from 'express'
import type { Hono } from 'hono'
import type Koa from 'koa'
import { createAppState } from './apps/app-state.ts'
import { type Host, listenNodeHttp } from './native-hosts.ts'
import { serverErrorLog, serveTsgi } from './transports/serve-tsgi.ts'

/** The adapters module, loaded when a way first needs it. */
export type Adapters = typeof import('@tsgi/adapters')

/** One framework under test: the same test app, three ways to run it. */
export interface Framework<T = unknown> {
  name: string
  /** A fresh app with fresh state, as the framework holds it (imported only when asked for). */
  create(): Promise<T>
  /** The framework's own adapter, named explicitly (the memory way; the tsgi way uses `adapt()`). */
  adapter(adapters: Adapters, app: T): App
  /** Hosts the app on the framework's own server. */
  native(app: T): Promise<Host>
}

// Each entry is typed by its own app; the list holds them side by side.
const define = <T>(framework: Framework<T>): Framework => framework as unknown as Framework

const express = (name: string, load: () => Promise<{ default: typeof createExpress }>): Framework =>
  define({
    name,
    create: async () => {
      const [{ createExpressApp }, { default: factory }] = await Promise.all([
        import('./apps/express.ts'),
        load(),
      ])
      return createExpressApp(factory, createAppState())
    },
    adapter: (adapters, app) => adapters.fromExpress(app),
    native: (app) => listenNodeHttp(app),
  })

const koa = (name: string, load: () => Promise<{ default: typeof Koa }>): Framework =>
  define({
    name,
    create: async () => {
      const [{ createKoaApp }, { default: KoaClass }] = await Promise.all([import('./apps/koa.ts'), load()])
      return createKoaApp(KoaClass, createAppState())
    },
    adapter: (adapters, app) => adapters.fromKoa(app),
    native: (app) => listenNodeHttp(app.callback()),
  })

const tsgiApp = async (): Promise<App> => (await import('./apps/tsgi.ts')).createTsgiApp(createAppState())

/** Every framework in the matrix, in column order. */
export const FRAMEWORKS: readonly Framework[] = [
  express('express5', () => import('express')),
  express('express4', () => import('express4')),
  koa('koa3', () => import('koa')),
  koa('koa2', () => import('koa2')),
  define<Hono>({
    name: 'hono',
    create: async () => (await import('./apps/hono.ts')).createHonoApp(createAppState()),
    adapter: (adapters, app) => adapters.fromHono(app),
    native: async (app) => (await import('./native-hono.ts')).listenHonoNodeServer(app),
  }),
  // A bare gateway app has no server of its own: here its "native" host is the tsgi server, so
  // the column checks inject (memory) against the real server.
  define<App>({
    name: 'tsgi',
    create: tsgiApp,
    adapter: (_adapters, app) => app,
    native: (app) => serveTsgi(app),
  }),
  // The same bare app hosted on node:http by `toNodeHandler`: node's HTTP/1.1 as the reference
  // for inject and the tsgi server, and a check of the bridge itself.
  define<App>({
    name: 'tsgi@node',
    create: tsgiApp,
    adapter: (_adapters, app) => app,
    async native(app) {
      const { toNodeHandler } = await import('@tsgi/adapters')
      const errors = {
        write: (text: string) => void serverErrorLog.push(text),
        writelines: (lines: Iterable<string>) => void serverErrorLog.push(...lines),
        flush: () => undefined,
      }
      return listenNodeHttp(toNodeHandler(app, { errors }))
    },
  }),
]
