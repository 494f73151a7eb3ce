/**
 * One worker process of `tsgi serve --workers N`: serves the app with
 * `tsgi.multiprocess = true`, tells the primary when it listens (or why it could not), and
 * drains when the primary says so, on SIGTERM, or when the primary goes away.
 */
import cluster from 'node:cluster'
import { describeFailure } from './cli/failure.ts'
import type { CliIo } from './cli/io.ts'
import type { ServeConfig } from './cli/parse.ts'
import { handleSignals } from './cli/signals.ts'
import { startApp } from './cli/start-app.ts'
import { DRAIN_MESSAGE, type WorkerMessage } from './supervisor.ts'

/** The environment variable that carries the {@link ServeConfig} (JSON) to a worker. */
export const WORKER_CONFIG_ENV = 'TSGI_WORKER_CONFIG'

/** The IPC side of a worker: `process` in a real cluster worker. */
export interface WorkerChannel {
  send(message: WorkerMessage, callback?: (error: Error | null) => void): unknown
  on(event: 'message', listener: (message: unknown) => void): unknown
  once(event: 'disconnect', listener: () => void): unknown
}

/** Serves until told to stop; resolves with the process exit code. */
export async function runWorker(config: ServeConfig, io: CliIo, channel: WorkerChannel): Promise<number> {
  let started: Awaited<ReturnType<typeof startApp>>
  try {
    started = await startApp(config, io, true)
  } catch (error) {
    const { message, exitCode } = describeFailure(error)
    // Wait until the message is handed over: the process exits right after this returns.
    await new Promise((resolve) => channel.send({ tsgi: 'failed', message, exitCode }, resolve))
    return exitCode
  }
  let removeSignals = (): void => {}
  await new Promise<void>((resolve) => {
    // SIGINT is ignored: Ctrl-C reaches the whole process group, and the primary drains us
    // itself; a worker leaving first would look like a crash and be replaced.
    // SIGHUP too: a closed terminal hangs up the whole group, and the primary reloads on it.
    removeSignals = handleSignals(io.signals, { SIGTERM: resolve, SIGINT: () => {}, SIGHUP: () => {} })
    channel.on('message', (message) => {
      if ((message as typeof DRAIN_MESSAGE)?.tsgi === DRAIN_MESSAGE.tsgi) resolve()
    })
    // The primary is gone (killed): do not outlive it holding the port, but let the requests in
    // flight finish first. node:cluster would exit this worker at once on an unexpected
    // disconnect; marking the disconnect as expected, from the 'disconnect' event it emits just
    // before that check, leaves the exit to the drain below.
    cluster.worker?.once('disconnect', () => {
      cluster.worker!.exitedAfterDisconnect = true
    })
    channel.once('disconnect', resolve)
    // A callback, so a primary gone at this instant is the 'disconnect' above, not an 'error'
    // event nobody handles.
    channel.send({ tsgi: 'ready', addresses: started.server.addresses, kind: started.kind }, () => {})
  })
  removeSignals()
  await started.server.close()
  return 0
}
