import type { App } from '@tsgi/core'
import express5 from 'express'
import express4 from 'express4'
import koa3 from 'koa'
import koa2 from 'koa2'
import { createAppState } from './apps/app-state.ts'
import { createExpressApp } from './apps/express.ts'
import { createHonoApp } from './apps/hono.ts'
import { createKoaApp } from './apps/koa.ts'
import { createTsgiApp } from './apps/tsgi.ts'
import { type Host, listenHonoNodeServer, listenNodeHttp } from './native-hosts.ts'
import { serveTsgi } from './transports/serve-tsgi.ts'

/** The adapters module, loaded when a way first needs it. */
export type Adapters = typeof import('@tsgi/adapters')

/** One framework under test: the same test app, three ways to run it. */
export interface Framework {
  name: string
  /** A fresh app (fresh state) as a gateway app, through the adapter. */
  gateway(adapters: Adapters): App
  /** A fresh app on the framework's own server. */
  native(): Promise<Host>
}

/** Every framework in the matrix, in column order. */
export const FRAMEWORKS: readonly Framework[] = [
  {
    name: 'express5',
    gateway: (adapters) => adapters.fromExpress(createExpressApp(express5, createAppState())),
    native: () => listenNodeHttp(createExpressApp(express5, createAppState())),
  },
  {
    name: 'express4',
    gateway: (adapters) => adapters.fromExpress(createExpressApp(express4, createAppState())),
    native: () => listenNodeHttp(createExpressApp(express4, createAppState())),
  },
  {
    name: 'koa3',
    gateway: (adapters) => adapters.fromKoa(createKoaApp(koa3, createAppState())),
    native: () => listenNodeHttp(createKoaApp(koa3, createAppState()).callback()),
  },
  {
    name: 'koa2',
    gateway: (adapters) => adapters.fromKoa(createKoaApp(koa2, createAppState())),
    native: () => listenNodeHttp(createKoaApp(koa2, createAppState()).callback()),
  },
  {
    name: 'hono',
    gateway: (adapters) => adapters.fromHono(createHonoApp(createAppState())),
    native: () => listenHonoNodeServer(createHonoApp(createAppState())),
  },
  {
    // A bare gateway app has no server of its own: its "native" host is the tsgi server, so
    // this column checks inject (memory) against the real server.
    name: 'tsgi',
    gateway: () => createTsgiApp(createAppState()),
    native: () => serveTsgi(createTsgiApp(createAppState())),
  },
]
