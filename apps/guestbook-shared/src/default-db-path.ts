import { resolve } from 'node:path'

/** The database file a CLI-started guestbook uses: `$GUESTBOOK_DB`, else `./guestbook.sqlite`. */
export function defaultDbPath(env: NodeJS.ProcessEnv = process.env): string {
  return resolve(env.GUESTBOOK_DB || 'guestbook.sqlite')
}
