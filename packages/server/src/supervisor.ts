/**
 * The primary process of `tsgi serve --workers N`: forks N workers through `node:cluster`
 * (they share the listening sockets and accept from them themselves), replaces a worker that
 * dies, with exponential backoff, gives up when replacements cannot even start, replaces every
 * worker on SIGHUP (a reload), and drains every worker on SIGTERM/SIGINT. It does less than
 * gunicorn's arbiter on purpose: fork, restart, reload and drain.
 *
 * Workers speak to it with {@link WorkerMessage}s over the cluster IPC channel.
 */
import cluster, { type Worker } from 'node:cluster'
import type { Readable } from 'node:stream'
import { handleSignals, type SignalSource } from './cli/signals.ts'
import { TsgiServerError } from './errors.ts'

/** Worker -> primary: listening (with what), or failed to start (with why). */
export type WorkerMessage =
  | { tsgi: 'ready'; addresses: string[]; kind: string }
  | { tsgi: 'failed'; message: string; exitCode: number }

/** Primary -> worker: stop accepting, finish in-flight requests, exit. */
export const DRAIN_MESSAGE = { tsgi: 'drain' } as const

/** How the supervisor reacts to workers that keep dying. */
export interface Backoff {
  /** Wait before the first replacement; doubles with each exit within `crashWindowMs`. */
  initialDelayMs: number
  maxDelayMs: number
  /**
   * This many replacements that died before listening, within `crashWindowMs`, is a crash
   * loop: the app cannot start any more, so stop everything. Workers that die after they
   * started (an out-of-memory kill, a rare fatal path) are replaced for ever, as gunicorn does.
   */
  crashLimit: number
  crashWindowMs: number
}

/** Defaults: replace quickly, but five failed starts in a minute means the app is broken. */
export const DEFAULT_BACKOFF: Backoff = {
  initialDelayMs: 100,
  maxDelayMs: 5_000,
  crashLimit: 5,
  crashWindowMs: 60_000,
}

/** Options of {@link Supervisor}. */
export interface SupervisorOptions {
  workers: number
  /** The worker entry script, and the node flags it needs (e.g. a TypeScript loader). */
  exec: string
  execArgv: string[]
  /** Added to each worker's environment (the serve config travels this way). */
  env: Record<string, string>
  /** How long drained workers may take before they are killed; `null` waits for ever. */
  gracefulTimeoutMs: number | null
  /** Lifecycle messages (one line each, no newline). */
  log: (line: string) => void
  signals: SignalSource
  /** When set, worker stdout/stderr are piped here instead of inherited. */
  output?: { stdout: (chunk: string) => void; stderr: (chunk: string) => void }
  backoff?: Partial<Backoff>
}

/** What the first worker to listen reported. */
export interface WorkersReady {
  addresses: string[]
  kind: string
}

/** A worker could not start (bad app, port in use): the supervisor stopped. */
export class WorkerStartError extends TsgiServerError {
  override readonly name = 'WorkerStartError'
  override readonly code = 'TSGI_WORKER_START_FAILED'
  readonly exitCode: number
  constructor(message: string, exitCode: number) {
    super(message)
    this.exitCode = exitCode
  }
}

type State = 'starting' | 'running' | 'draining' | 'stopped'

/** Runs and watches N worker processes. `start()` once, then await `done` for the exit code. */
export class Supervisor {
  #options: SupervisorOptions
  #backoff: Backoff
  #state: State = 'starting'
  #workers = new Set<Worker>()
  #ready = new Set<Worker>()
  /** Workers a reload replaces: drained when a new one listens, never replaced when they exit. */
  #retiring = new Set<Worker>()
  /** Of those, the ones still to drain, oldest first. */
  #toRetire: Worker[] = []
  /** When workers exited unexpectedly, within the window: the backoff grows with them. */
  #exits: number[] = []
  /** When replacements died before listening, within the window: the crash-loop count. */
  #failedStarts: number[] = []
  #timers = new Set<NodeJS.Timeout>()
  #exitCode = 0
  #first: WorkersReady | undefined
  #startWaiter: { resolve: (ready: WorkersReady) => void; reject: (error: Error) => void } | undefined
  #finish: (code: number) => void = () => {}
  #removeSignals: () => void = () => {}
  /** Resolves with the exit code once every worker has exited. */
  readonly done: Promise<number>

  constructor(options: SupervisorOptions) {
    this.#options = options
    this.#backoff = { ...DEFAULT_BACKOFF, ...options.backoff }
    this.done = new Promise((resolve) => {
      this.#finish = resolve
    })
  }

  /** Forks the workers; resolves once all listen, rejects with {@link WorkerStartError}. */
  start(): Promise<WorkersReady> {
    const { exec, execArgv, output } = this.#options
    // Workers accept from the shared socket themselves, as gunicorn's do; node's default
    // round-robin routes every connection through this process, where a flood of connections
    // queues up (past any per-worker cap) until nobody gets through. NODE_CLUSTER_SCHED_POLICY
    // still chooses, when set.
    if (process.env.NODE_CLUSTER_SCHED_POLICY === undefined) cluster.schedulingPolicy = cluster.SCHED_NONE
    cluster.setupPrimary({ exec, execArgv, args: [], silent: output !== undefined })
    this.#removeSignals = handleSignals(this.#options.signals, {
      SIGTERM: () => this.drain('SIGTERM'),
      SIGINT: () => this.drain('SIGINT'),
      SIGHUP: () => this.reload('SIGHUP'),
    })
    const started = new Promise<WorkersReady>((resolve, reject) => {
      this.#startWaiter = { resolve, reject }
    })
    for (let i = 0; i < this.#options.workers; i++) this.#fork()
    return started
  }

  /**
   * Stops accepting everywhere and lets in-flight requests finish, then exits. Asked again
   * while draining (a second Ctrl-C), it stops at once: every worker is killed, exit 1.
   */
  drain(reason: string): void {
    if (this.#state === 'stopped') return
    if (this.#state === 'draining') {
      this.#options.log(`tsgi: ${reason} again: killing ${this.#workers.size} worker(s) now`)
      this.#killAll()
      return
    }
    this.#options.log(`tsgi: ${reason}: draining ${this.#workers.size} worker(s)`)
    this.#stopAll()
  }

  /**
   * Replaces every worker without dropping a request, as gunicorn's HUP does: N new workers
   * load the app afresh (a deploy's new code), and as each one listens an old one drains.
   */
  reload(reason: string): void {
    if (this.#state !== 'running') return
    const old = [...this.#workers].filter((worker) => !this.#retiring.has(worker))
    this.#options.log(
      `tsgi: ${reason}: starting ${this.#options.workers} new worker(s), then draining the old`,
    )
    for (const worker of old) this.#retiring.add(worker)
    this.#toRetire.push(...old)
    for (let i = 0; i < this.#options.workers; i++) this.#fork()
  }

  #fork(): void {
    const worker = cluster.fork(this.#options.env)
    this.#workers.add(worker)
    this.#pipe(worker.process.stdout, this.#options.output?.stdout)
    this.#pipe(worker.process.stderr, this.#options.output?.stderr)
    worker.on('message', (message: WorkerMessage) => this.#onMessage(worker, message))
    worker.on('exit', (code, signal) => this.#onExit(worker, code, signal))
    // An IPC send node:cluster makes itself (the reply to a worker's listen) or a failed kill
    // can fail as the worker dies; unheard, that 'error' would take the supervisor down. The
    // worker's death is handled where every exit is.
    worker.on('error', (error: Error) => {
      this.#options.log(`tsgi: worker ${worker.process.pid}: ${error.message}`)
    })
  }

  #pipe(stream: Readable | null | undefined, sink: ((chunk: string) => void) | undefined): void {
    if (!stream || !sink) return
    stream.setEncoding('utf8')
    stream.on('data', sink)
  }

  #onMessage(worker: Worker, message: WorkerMessage): void {
    if (message?.tsgi === 'failed') {
      // A replacement that cannot start is one more crash (its exit follows); say why.
      if (this.#state === 'running')
        this.#options.log(`tsgi: worker ${worker.process.pid}: ${message.message}`)
      this.#fail(new WorkerStartError(message.message, message.exitCode))
    } else if (message?.tsgi === 'ready') {
      this.#ready.add(worker)
      this.#first ??= { addresses: message.addresses, kind: message.kind }
      if (this.#state === 'draining') tellToDrain(worker)
      if (this.#state === 'running') {
        const retired = this.#toRetire.shift()
        if (retired === undefined) {
          this.#options.log(`tsgi: worker ${worker.process.pid} listening (replacement)`)
        } else {
          this.#options.log(
            `tsgi: worker ${worker.process.pid} listening (reload); draining worker ${retired.process.pid}`,
          )
          if (retired.isConnected()) tellToDrain(retired)
          else retired.process.kill('SIGTERM')
        }
      }
      if (this.#state === 'starting' && this.#ready.size === this.#options.workers) {
        this.#state = 'running'
        this.#startWaiter?.resolve(this.#first)
      }
    }
  }

  #onExit(worker: Worker, code: number | null, signal: string | null): void {
    const started = this.#ready.has(worker)
    this.#workers.delete(worker)
    this.#ready.delete(worker)
    if (this.#retiring.delete(worker)) {
      // Drained by a reload (or it died before its turn): its successor is already running.
      const waiting = this.#toRetire.indexOf(worker)
      if (waiting !== -1) this.#toRetire.splice(waiting, 1)
      if (this.#state === 'running') return
    }
    if (this.#state === 'starting') {
      // A worker that dies before listening has a broken app or bind: restarting cannot help.
      this.#fail(new WorkerStartError(`worker exited during startup (${signal ?? `code ${code}`})`, 1))
      return
    }
    if (this.#state === 'running') {
      this.#replace(worker, code, signal, started)
      return
    }
    if (this.#workers.size === 0) this.#stopped()
  }

  #replace(worker: Worker, code: number | null, signal: string | null, started: boolean): void {
    const now = Date.now()
    const { initialDelayMs, maxDelayMs, crashLimit, crashWindowMs } = this.#backoff
    const recent = (time: number): boolean => now - time < crashWindowMs
    this.#exits = this.#exits.filter(recent)
    this.#exits.push(now)
    this.#failedStarts = this.#failedStarts.filter(recent)
    if (!started) this.#failedStarts.push(now)
    const how = signal ?? `code ${code}`
    if (this.#failedStarts.length >= crashLimit) {
      this.#options.log(
        `tsgi: ${this.#failedStarts.length} workers died before listening within ${crashWindowMs / 1000}s ` +
          `(last: ${how}); crash loop, not restarting: fix the app and start tsgi again`,
      )
      this.#exitCode = 1
      this.#stopAll()
      return
    }
    const delay = Math.min(maxDelayMs, initialDelayMs * 2 ** (this.#exits.length - 1))
    this.#options.log(`tsgi: worker ${worker.process.pid} exited (${how}); starting a new one in ${delay}ms`)
    const timer = setTimeout(() => {
      this.#timers.delete(timer)
      if (this.#state === 'running') this.#fork()
    }, delay)
    this.#timers.add(timer)
  }

  #fail(error: WorkerStartError): void {
    if (this.#state !== 'starting') return
    this.#exitCode = error.exitCode
    this.#startWaiter?.reject(error)
    this.#stopAll()
  }

  #stopAll(): void {
    this.#state = 'draining'
    for (const timer of this.#timers) clearTimeout(timer)
    this.#timers.clear()
    if (this.#workers.size === 0) {
      this.#stopped()
      return
    }
    for (const worker of this.#workers) {
      // A worker still starting is drained as soon as it reports ready (see #onMessage).
      if (this.#ready.has(worker) && worker.isConnected()) tellToDrain(worker)
      else if (!this.#ready.has(worker)) worker.process.kill('SIGTERM')
    }
    const { gracefulTimeoutMs } = this.#options
    // Workers cut their own stragglers at gracefulTimeoutMs; this is for a worker that hangs.
    if (gracefulTimeoutMs === null) return
    const kill = setTimeout(() => {
      this.#options.log(`tsgi: ${this.#workers.size} worker(s) did not drain in time; killing them`)
      this.#killAll()
    }, gracefulTimeoutMs + 1_000)
    this.#timers.add(kill)
  }

  #killAll(): void {
    for (const worker of this.#workers) worker.process.kill('SIGKILL')
    this.#exitCode ||= 1
  }

  #stopped(): void {
    if (this.#state === 'stopped') return
    this.#state = 'stopped'
    for (const timer of this.#timers) clearTimeout(timer)
    this.#removeSignals()
    this.#finish(this.#exitCode)
  }
}

/**
 * Sends a worker the drain message. A worker that is exiting can still look connected: the send
 * then fails (EPIPE) after it returned, which without a callback is an 'error' event nobody
 * handles, and the supervisor would die of it while it shuts down. The worker's exit is handled
 * where every exit is; if it was not exiting after all, SIGTERM drains it just the same.
 */
function tellToDrain(worker: Worker): void {
  worker.send(DRAIN_MESSAGE, (error: Error | null) => {
    if (error) worker.process.kill('SIGTERM')
  })
}
