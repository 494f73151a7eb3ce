import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/** A fresh directory for a test database, and a function that removes it. */
export function tempDbPath(): { path: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'guestbook-'))
  return { path: join(dir, 'guestbook.sqlite'), remove: () => rmSync(dir, { recursive: true, force: true }) }
}
