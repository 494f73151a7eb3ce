/**
 * Makes a unix socket path ready to listen on. A server that was killed (SIGKILL, a crash, a
 * power cut) leaves its socket file behind, and `listen()` then fails with "address already in
 * use" until someone deletes it. Like gunicorn, tsgi removes it, but only once a connection to
 * it is refused: a socket a live server still answers on is kept, and the listen reports it in
 * use. The checks also name two mistakes `listen()` words badly: a file that is not a socket
 * ("address in use") and a directory that does not exist ("permission denied").
 */
import { lstat, stat, unlink } from 'node:fs/promises'
import { connect } from 'node:net'
import { dirname } from 'node:path'
import { listenFailure } from './failure.ts'

/** Shaped like Node's own listen errors (a path as the address, port -1), so the CLI prints them alike. */
function listenError(code: 'ENOTSOCK' | 'ENOENT', path: string): Error {
  const error = Object.assign(new Error(`listen ${code}: ${path}`), {
    code,
    syscall: 'listen',
    address: path,
    port: -1,
  })
  return listenFailure(error) as Error
}

const errorCode = (error: unknown): unknown => (error as NodeJS.ErrnoException | null)?.code

/** True when connecting to the socket at `path` is refused: nothing listens there any more. */
function isStale(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ path })
    socket.once('connect', () => {
      socket.destroy()
      resolve(false)
    })
    // Anything but a refusal (EACCES, EAGAIN from a full backlog) may be a live server: keep it.
    socket.once('error', (error) => resolve(errorCode(error) === 'ECONNREFUSED'))
  })
}

/**
 * Checks the unix socket `path` before listening: removes a stale socket file, and throws a
 * listen error for a file that is not a socket (`ENOTSOCK`) or a missing directory (`ENOENT`).
 *
 * @example
 * await prepareUnixSocket('/run/app.sock') // a socket left by a killed server is gone
 */
export async function prepareUnixSocket(path: string): Promise<void> {
  if (path.startsWith('\0')) return // Linux's abstract namespace: no file to check
  const stats = await lstat(path).catch((error: unknown) => {
    if (errorCode(error) !== 'ENOENT') return null // unreadable: listen() reports what it finds
    return stat(dirname(path)).then(
      () => null,
      (missing: unknown) => {
        const code = errorCode(missing)
        if (code === 'ENOENT' || code === 'ENOTDIR') throw listenError('ENOENT', path)
        return null
      },
    )
  })
  if (stats === null) return
  if (!stats.isSocket()) throw listenError('ENOTSOCK', path)
  if (await isStale(path)) {
    // Another process starting at the same moment may have removed it already.
    await unlink(path).catch((error: unknown) => {
      if (errorCode(error) !== 'ENOENT') throw listenFailure(error)
    })
  }
}

/**
 * {@link prepareUnixSocket} for every `unix:` address of `binds`. Run once, before any worker
 * starts: workers checking at the same time could remove a socket another one just created.
 */
export async function prepareUnixSockets(binds: string[]): Promise<void> {
  for (const bind of binds) if (bind.startsWith('unix:')) await prepareUnixSocket(bind.slice(5))
}
