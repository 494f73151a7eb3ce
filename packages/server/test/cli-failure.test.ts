import { describe, expect, it } from 'vitest'
import { describeFailure, listenFailure } from '../src/cli/failure.ts'

/** An error shaped like the ones `net.Server#listen` emits. */
const listenError = (fields: Record<string, unknown>): Error =>
  listenFailure(Object.assign(new Error(`listen ${fields.code}`), { syscall: 'listen', ...fields })) as Error

describe('describeFailure of a listen error', () => {
  it.each([
    [{ code: 'EADDRINUSE', address: '127.0.0.1', port: 8000 }, '127.0.0.1:8000: address already in use'],
    [{ code: 'EADDRINUSE', address: '::1', port: 8000 }, '[::1]:8000: address already in use'],
    // Node reports a unix socket with its path as the address and port -1: no ':-1'.
    [
      { code: 'EADDRINUSE', address: '/run/app.sock', port: -1 },
      'unix:/run/app.sock: address already in use',
    ],
    [{ code: 'EACCES', address: '/run/app.sock', port: -1 }, 'unix:/run/app.sock: permission denied'],
    [
      { code: 'ENOENT', address: '/nope/app.sock', port: -1 },
      'unix:/nope/app.sock: its directory does not exist',
    ],
    [
      { code: 'ENOTSOCK', address: '/tmp/file', port: -1 },
      'unix:/tmp/file: the path exists and is not a socket',
    ],
    // A failed lookup (getaddrinfo) names the host, not an address.
    [
      { code: 'ENOTFOUND', syscall: 'getaddrinfo', hostname: 'nosuchhost.invalid' },
      'nosuchhost.invalid: unknown host',
    ],
  ])('%j: one line naming the address', (fields, text) => {
    expect(describeFailure(listenError(fields))).toEqual({ message: `cannot listen on ${text}`, exitCode: 1 })
  })
})

describe('describeFailure of an error that did not come from listening', () => {
  it('keeps the stack of an ENOENT the app raised while loading (a missing config file)', () => {
    const error = Object.assign(new Error("ENOENT: no such file or directory, open 'config.json'"), {
      code: 'ENOENT',
      syscall: 'open',
      path: 'config.json',
    })
    expect(describeFailure(error)).toEqual({ message: error.stack, exitCode: 1 })
  })

  it('survives a thrown null or string', () => {
    expect(describeFailure(null)).toEqual({ message: 'null', exitCode: 1 })
    expect(describeFailure('boom')).toEqual({ message: 'boom', exitCode: 1 })
  })
})
