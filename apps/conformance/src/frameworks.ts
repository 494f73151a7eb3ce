import type { App } from '@tsgi/core'
import express5 from 'express'
import express4 from 'express4'
import type { Hono } from 'hono'
import type Koa from 'koa'
import koa3 from 'koa'
import koa2 from 'koa2'
import { createAppState } from './apps/app-state.ts'
import { createExpressApp } from './apps/express.ts'
import { createHonoApp } from './apps/hono.ts'
import { createKoaApp } from './apps/koa.ts'
import { createTsgiApp } from './apps/tsgi.ts'
import { type Host, listenHonoNodeServer, listenNodeHttp } from './native-hosts.ts'
import { serverErrorLog, serveTsgi } from './transports/serve-tsgi.ts'

/** The adapters module, loaded when a way first needs it. */
export type Adapters = typeof import('@tsgi/adapters')

/** One framework under test: the same test app, three ways to run it. */
export interface Framework<T = unknown> {
  name: string
  /** A fresh app with fresh state, as the framework holds it. */
  create(): T
  /** The framework's own adapter, named explicitly (the memory way; the tsgi way uses `adapt()`). */
  adapter(adapters: Adapters, app: T): App
  /** Hosts the app on the framework's own server. */
  native(app: T): Promise<Host>
}

// Each entry is typed by its own app; the list holds them side by side.
const define = <T>(framework: Framework<T>): Framework => framework as unknown as Framework

const express = (name: string, factory: typeof express5): Framework =>
  define({
    name,
    create: () => createExpressApp(factory, createAppState()),
    adapter: (adapters, app) => adapters.fromExpress(app),
    native: (app) => listenNodeHttp(app),
  })

const koa = (name: string, KoaClass: typeof Koa): Framework =>
  define({
    name,
    create: () => createKoaApp(KoaClass, createAppState()),
    adapter: (adapters, app) => adapters.fromKoa(app),
    native: (app) => listenNodeHttp(app.callback()),
  })

/** Every framework in the matrix, in column order. */
export const FRAMEWORKS: readonly Framework[] = [
  express('express5', express5),
  express('express4', express4),
  koa('koa3', koa3),
  koa('koa2', koa2),
  define<Hono>({
    name: 'hono',
    create: () => createHonoApp(createAppState()),
    adapter: (adapters, app) => adapters.fromHono(app),
    native: (app) => listenHonoNodeServer(app),
  }),
  // A bare gateway app has no server of its own: here its "native" host is the tsgi server, so
  // the column checks inject (memory) against the real server.
  define<App>({
    name: 'tsgi',
    create: () => createTsgiApp(createAppState()),
    adapter: (_adapters, app) => app,
    native: (app) => serveTsgi(app),
  }),
  // The same bare app hosted on node:http by `toNodeHandler`: node's HTTP/1.1 as the reference
  // for inject and the tsgi server, and a check of the bridge itself.
  define<App>({
    name: 'tsgi@node',
    create: () => createTsgiApp(createAppState()),
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
