/**
 * `tsgi serve`: one process serving the app itself, or a supervisor over N workers.
 * Either way it returns the exit code only once serving has ended.
 */
import { createRequire } from 'node:module'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { resolveLimits } from '../limits.ts'
import { Supervisor, type WorkersReady } from '../supervisor.ts'
import { WORKER_CONFIG_ENV } from '../worker.ts'
import { type CliIo, writeLine } from './io.ts'
import type { ServeConfig } from './parse.ts'
import { handleSignals } from './signals.ts'
import { startApp, startupLine } from './start-app.ts'
import { prepareUnixSockets } from './unix-socket.ts'

/**
 * Serves in this process until SIGTERM or SIGINT, then drains and resolves 0. A second
 * signal while draining resolves 1 at once (the bin then exits, cutting what still runs).
 */
async function serveHere(config: ServeConfig, io: CliIo): Promise<number> {
  const { server, kind } = await startApp(config, io, false)
  writeLine(io.stderr, startupLine(server.addresses, kind, 1))
  return new Promise<number>((resolve) => {
    let draining = false
    const finish = (code: number): void => {
      removeSignals()
      resolve(code)
    }
    const onSignal = (name: string) => (): void => {
      if (draining) {
        writeLine(io.stderr, `tsgi: ${name} again: stopping now`)
        finish(1)
        return
      }
      draining = true
      writeLine(io.stderr, `tsgi: ${name}: draining`)
      void server.close().then(() => finish(0))
    }
    // SIGHUP (a closed terminal, or a reload asked of a lone process, which cannot start a
    // successor) drains too, rather than node's default: dying with requests in flight.
    const removeSignals = handleSignals(io.signals, {
      SIGTERM: onSignal('SIGTERM'),
      SIGINT: onSignal('SIGINT'),
      SIGHUP: onSignal('SIGHUP'),
    })
  })
}

/**
 * The worker entry beside this file. Running from sources (tests), it is TypeScript, so
 * the workers get tsx's loader; built, it is plain JavaScript.
 */
function workerEntry(): { exec: string; execArgv: string[] } {
  const here = import.meta.url
  if (here.endsWith('.ts')) {
    const tsx = pathToFileURL(createRequire(here).resolve('tsx')).href
    return { exec: fileURLToPath(new URL('./worker-main.ts', here)), execArgv: ['--import', tsx] }
  }
  return { exec: fileURLToPath(new URL('./worker-main.js', here)), execArgv: [] }
}

/** Runs N workers under a supervisor; the startup line comes once all of them listen. */
async function serveWorkers(config: ServeConfig, io: CliIo): Promise<number> {
  const piped = io.stdout !== process.stdout || io.stderr !== process.stderr
  const supervisor = new Supervisor({
    workers: config.workers,
    ...workerEntry(),
    env: { [WORKER_CONFIG_ENV]: JSON.stringify(config) },
    gracefulTimeoutMs: resolveLimits(config.limits).gracefulTimeoutMs,
    log: (line) => writeLine(io.stderr, line),
    signals: io.signals,
    ...(piped
      ? { output: { stdout: (text) => io.stdout.write(text), stderr: (text) => io.stderr.write(text) } }
      : {}),
  })
  let ready: WorkersReady
  try {
    ready = await supervisor.start()
  } catch (error) {
    await supervisor.done // the other workers are gone before main reports the failure
    throw error
  }
  writeLine(io.stderr, startupLine(ready.addresses, ready.kind, config.workers))
  return supervisor.done
}

/** Serves `config` until a signal drains it; resolves with the exit code. */
export async function runServe(config: ServeConfig, io: CliIo): Promise<number> {
  await prepareUnixSockets(config.binds)
  return config.workers > 1 ? serveWorkers(config, io) : serveHere(config, io)
}
