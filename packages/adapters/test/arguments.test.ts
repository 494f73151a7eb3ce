import { TsgiArgumentError } from '@tsgi/core'
import express from 'express'
import { Hono } from 'hono'
import Koa from 'koa'
import { expect, it } from 'vitest'
import {
  fromExpress,
  fromFetch,
  fromHono,
  fromKoa,
  fromNodeHandler,
  toFetchHandler,
  toNodeHandler,
} from '../src/index.ts'

const gatewayApp = () => []

// Every entry point refuses, where it is called, what it cannot use: the wrong kind of app, or an
// option it does not know (a misspelt one would otherwise be ignored without a word).
it.each([
  [
    () => fromExpress(5 as never),
    'fromExpress() expects an Express application (express()); got a number (5)',
  ],
  [
    () => fromExpress(express(), { trustProxy: true } as never),
    'fromExpress() has no option trustProxy (it takes none yet)',
  ],
  [() => fromKoa({} as never), 'fromKoa() expects a Koa application (new Koa()); got an empty object'],
  [() => fromKoa(new Koa(), [] as never), 'fromKoa() options must be an object; got an array of 0'],
  [() => fromHono(null as never), 'fromHono() expects a Hono app (an object with fetch()); got null'],
  [() => fromHono(new Hono(), { port: 3000 } as never), 'fromHono() has no option port (it takes none yet)'],
  [() => fromFetch('x' as never), 'fromFetch() expects a function (request) => Response; got a string (x)'],
  [
    () => fromNodeHandler(1 as never),
    'fromNodeHandler() expects a function (req, res) => void; got a number (1)',
  ],
  [
    () => toNodeHandler(1 as never),
    'toNodeHandler() expects a gateway app (environ, startResponse) => body; got a number (1)',
  ],
  [
    () => toNodeHandler(gatewayApp, { error: {} } as never),
    'toNodeHandler() has no option error (it takes errors)',
  ],
  [
    () => toNodeHandler(gatewayApp, { errors: console.error } as never),
    'toNodeHandler() option errors must be an error stream (write, writelines, flush); got a function error with 0 parameters',
  ],
  [
    () => toFetchHandler(gatewayApp, { remoteAddress: 5 } as never),
    'toFetchHandler() option remoteAddress must be a string or a function (request, context) => string; got a number (5)',
  ],
  [
    () => toFetchHandler(gatewayApp, { scriptname: '/api' } as never),
    'toFetchHandler() has no option scriptname (it takes remoteAddress, scriptName, errors)',
  ],
  [
    () => toFetchHandler(gatewayApp, { scriptName: 'api' }),
    "toFetchHandler() option scriptName must be '' or start with '/'; got a string (api)",
  ],
])('refuses a wrong argument with TSGI_INVALID_ARGUMENT (%#)', (call, message) => {
  let thrown: unknown
  try {
    call()
  } catch (error) {
    thrown = error
  }
  expect(thrown).toBeInstanceOf(TsgiArgumentError)
  expect(thrown).toMatchObject({ code: 'TSGI_INVALID_ARGUMENT' })
  expect((thrown as Error).message.startsWith(message)).toBe(true)
})
