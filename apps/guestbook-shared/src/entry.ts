/** One guestbook entry as stored. */
export interface Entry {
  readonly id: number
  readonly name: string
  readonly message: string
  /** When it was stored, in milliseconds since the epoch. */
  readonly createdAt: number
}

/** An entry as the JSON API shows it. */
export interface EntryJson {
  id: number
  name: string
  message: string
  createdAt: string
}

/** The JSON form of an entry: the timestamp as an ISO 8601 string. */
export function entryToJson(entry: Entry): EntryJson {
  return {
    id: entry.id,
    name: entry.name,
    message: entry.message,
    createdAt: new Date(entry.createdAt).toISOString(),
  }
}
