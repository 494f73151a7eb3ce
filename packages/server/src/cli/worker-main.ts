/**
 * The script `node:cluster` runs in each worker: reads the serve config from the
 * environment, runs the worker, and exits (the app may hold handles, like timers, that
 * would otherwise keep a drained worker alive). Like the CLI, it survives the app's
 * unhandled rejections and uncaught exceptions.
 */
import { runWorker, WORKER_CONFIG_ENV, type WorkerChannel } from '../worker.ts'
import { processIo } from './io.ts'
import type { ServeConfig } from './parse.ts'
import { guardProcess } from './process-guard.ts'

guardProcess(process, (text) => process.stderr.write(text))
const config = JSON.parse(process.env[WORKER_CONFIG_ENV] ?? '{}') as ServeConfig
process.exit(await runWorker(config, processIo(), process as unknown as WorkerChannel))
