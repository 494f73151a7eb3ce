import Database from 'better-sqlite3'
import type { Entry } from './entry.ts'

/** The fields a new entry needs; the store assigns `id` and `createdAt`. */
export interface NewEntry {
  readonly name: string
  readonly message: string
}

interface EntryRow {
  id: number
  name: string
  message: string
  created_at: number
}

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS entries (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL,
    message TEXT NOT NULL,
    created_at INTEGER NOT NULL
  )`

function toEntry(row: EntryRow): Entry {
  return { id: row.id, name: row.name, message: row.message, createdAt: row.created_at }
}

/**
 * Guestbook entries in an embedded SQLite file. Synchronous (better-sqlite3): each call is
 * one short statement, so it never holds the event loop long.
 *
 * @example
 * const store = new EntryStore('./guestbook.sqlite')
 * store.add({ name: 'Ada', message: 'Hello' })
 */
export class EntryStore {
  #db: Database.Database
  #insert: Database.Statement<[string, string, number], void>
  #newest: Database.Statement<[number], EntryRow>
  #after: Database.Statement<[number, number], EntryRow>
  #byId: Database.Statement<[number], EntryRow>
  #now: () => number

  /** Opens (creating if needed) the database at `path`; `':memory:'` keeps it in memory. */
  constructor(path: string, now: () => number = Date.now) {
    this.#db = new Database(path)
    // Rollback journal (SQLite's default) rather than WAL: it leaves no `-wal`/`-shm` files
    // beside the database, and several worker processes may still share the file safely.
    this.#db.pragma('busy_timeout = 5000')
    this.#db.exec(SCHEMA)
    this.#insert = this.#db.prepare('INSERT INTO entries (name, message, created_at) VALUES (?, ?, ?)')
    this.#newest = this.#db.prepare('SELECT * FROM entries ORDER BY id DESC LIMIT ?')
    // The newest `limit` rows after an id, returned oldest first.
    this.#after = this.#db.prepare(
      'SELECT * FROM (SELECT * FROM entries WHERE id > ? ORDER BY id DESC LIMIT ?) ORDER BY id ASC',
    )
    this.#byId = this.#db.prepare('SELECT * FROM entries WHERE id = ?')
    this.#now = now
  }

  /** Stores a new entry and returns it with its id. */
  add(entry: NewEntry): Entry {
    const createdAt = this.#now()
    const { lastInsertRowid } = this.#insert.run(entry.name, entry.message, createdAt)
    return { id: Number(lastInsertRowid), name: entry.name, message: entry.message, createdAt }
  }

  /** The newest `limit` entries, newest first. */
  newest(limit: number): Entry[] {
    return this.#newest.all(limit).map(toEntry)
  }

  /**
   * Entries with an id above `id`, oldest first: all of them, or the newest `limit` (for
   * replaying missed server-sent events without sending a client the whole table).
   */
  after(id: number, limit = -1): Entry[] {
    // SQLite: a negative LIMIT means no limit.
    return this.#after.all(id, limit).map(toEntry)
  }

  /** The entry with this id, if any. */
  get(id: number): Entry | undefined {
    const row = this.#byId.get(id)
    return row === undefined ? undefined : toEntry(row)
  }

  /**
   * SQLite's `data_version`: it changes when another connection (another worker process)
   * commits, never for this connection's own writes, so polling it is how we learn of them.
   */
  dataVersion(): number {
    return this.#db.pragma('data_version', { simple: true }) as number
  }

  /** Runs `read` in one transaction, so its queries see one consistent state of the file. */
  snapshot<T>(read: () => T): T {
    return this.#db.transaction(read)()
  }

  /** The highest id stored so far (0 when empty). */
  lastId(): number {
    return this.newest(1)[0]?.id ?? 0
  }

  /** Closes the database file. */
  close(): void {
    this.#db.close()
  }
}
