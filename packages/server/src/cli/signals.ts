/**
 * Signals dispatch through a table (`{ SIGTERM: drain, SIGINT: drain }`), as gunicorn's
 * arbiter does, never through a chain of `if`s. The source is injectable so tests emit
 * signals on an `EventEmitter` instead of signalling the test runner.
 */

/** Where signals come from: `process`, or an `EventEmitter` in tests. */
export interface SignalSource {
  on(event: NodeJS.Signals, listener: () => void): unknown
  off(event: NodeJS.Signals, listener: () => void): unknown
}

/** What to do on each signal. */
export type SignalTable = Partial<Record<NodeJS.Signals, () => void>>

/**
 * Installs every handler of `table` on `source`; returns a function that removes them all.
 *
 * @example
 * const off = handleSignals(process, { SIGTERM: drain, SIGINT: drain })
 */
export function handleSignals(source: SignalSource, table: SignalTable): () => void {
  const entries = Object.entries(table) as Array<[NodeJS.Signals, () => void]>
  for (const [signal, handler] of entries) source.on(signal, handler)
  return () => {
    for (const [signal, handler] of entries) source.off(signal, handler)
  }
}
