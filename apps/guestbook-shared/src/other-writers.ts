import type { Broadcaster } from './broadcaster.ts'
import type { Entry } from './entry.ts'
import type { EntryStore } from './entry-store.ts'

/**
 * Publishes entries that other processes (`tsgi serve --workers N`) wrote to the same database,
 * so every worker's event streams see every entry. Each `pollMs` it reads SQLite's
 * `data_version` and, only when another connection committed and someone listens, the new rows;
 * entries this process stored itself were already published and are skipped.
 */
export class OtherWriters {
  #store: EntryStore
  #broadcaster: Broadcaster
  #timer: ReturnType<typeof setInterval>
  #version: number
  #cursor: number
  // Ids published locally that the cursor has not passed yet (ids from two processes interleave).
  #ownIds = new Set<number>()

  constructor(store: EntryStore, broadcaster: Broadcaster, pollMs: number) {
    this.#store = store
    this.#broadcaster = broadcaster
    this.#version = store.dataVersion()
    this.#cursor = store.lastId()
    this.#timer = setInterval(() => this.#poll(), pollMs).unref()
  }

  /** Records an entry this process stored (and published) itself. */
  stored(entry: Entry): void {
    if (entry.id > this.#cursor) this.#ownIds.add(entry.id)
  }

  #poll(): void {
    this.#store.snapshot(() => {
      const version = this.#store.dataVersion()
      const changed = version !== this.#version
      this.#version = version
      if (!changed || this.#broadcaster.size === 0) {
        // Nobody else wrote (every row past the cursor is ours), or nobody listens.
        this.#cursor = this.#store.lastId()
        this.#ownIds.clear()
        return
      }
      for (const entry of this.#store.after(this.#cursor)) {
        if (!this.#ownIds.delete(entry.id)) this.#broadcaster.publish(entry)
        this.#cursor = entry.id
      }
    })
  }

  /** Stops polling. */
  stop(): void {
    clearInterval(this.#timer)
  }
}
