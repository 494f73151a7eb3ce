import type { EarlyHints, HeaderList, StartResponse, Write } from '../types.ts'
import { countBytes } from './body-rules.ts'
import type { Exchange } from './exchange.ts'
import { declaredLength, headerProblems, statusProblems } from './header-rules.ts'
import { show } from './reporter.ts'
import { isThenable } from './thenable.ts'

/** Wraps the server's `startResponse` so the app's calls, and the server's answers, are checked. */
export function checkedStartResponse(start: StartResponse, x: Exchange): StartResponse {
  return function startResponse(...args: unknown[]): Write {
    const [status, headers, excInfo] = args
    /** response.start-args: startResponse is called with (status, headers) or (status, headers, excInfo). */
    x.r.check(
      args.length === 2 || args.length === 3,
      'response.start-args',
      () => `startResponse takes 2 or 3 arguments, got ${args.length}`,
    )
    const retry = excInfo !== undefined
    /** response.start-once: startResponse is called once; a second call is allowed only with excInfo, after an error. */
    x.r.check(
      !x.started || retry,
      'response.start-once',
      () => 'startResponse was called a second time without excInfo',
    )
    const { code, problems } = statusProblems(status)
    for (const [rule, message] of [...problems, ...headerProblems(headers, code)]) x.r.fail(rule, message)
    const wasSent = x.headersSent
    const write = (start as (...all: unknown[]) => Write)(...args)
    /** response.exc-info-rethrow: once headers were sent, the server's startResponse throws excInfo instead of returning. */
    x.r.check(
      !(retry && wasSent),
      'response.exc-info-rethrow',
      () =>
        'startResponse(status, headers, excInfo) returned after headers were sent; the server must throw excInfo',
    )
    /** response.start-returns-write: the server's startResponse returns the `write` function. */
    x.r.check(
      typeof write === 'function',
      'response.start-returns-write',
      () => `startResponse must return a write function, got ${show(write)}`,
    )
    x.started = true
    x.code = code
    x.declared = Array.isArray(headers) ? declaredLength((headers as unknown[]).filter(isPair)) : undefined
    return typeof write === 'function' ? checkedWrite(write, x) : write
  }
}

function checkedWrite(write: Write, x: Exchange): Write {
  return (...args: unknown[]) => {
    const [chunk] = args
    /** write.bytes: `write` is called with one Uint8Array. */
    x.r.check(
      chunk instanceof Uint8Array && args.length === 1,
      'write.bytes',
      () => `write() takes one Uint8Array, got ${show(chunk)}`,
    )
    /** write.before-iteration: the app does not call `write` once the server began iterating the body (PEP 3333). */
    x.r.check(
      !x.iterationBegan,
      'write.before-iteration',
      () => 'write() was called after the server began iterating the body; yield the bytes instead',
    )
    if (chunk instanceof Uint8Array) {
      // SPEC §8: the first call of write sends the head, even with an empty chunk (a flush).
      x.headersSent = true
      countBytes(chunk, x)
    }
    const result = (write as (...all: unknown[]) => unknown)(...args)
    /** write.returns-promise: the server's `write` returns a promise that settles when the bytes are sent or queued. */
    x.r.check(
      isThenable(result),
      'write.returns-promise',
      () => `write() must return a promise, got ${show(result)}`,
    )
    return result as Promise<void>
  }
}

/** Wraps `tsgi.early_hints` so the app's calls are checked. */
export function checkedEarlyHints(hints: EarlyHints, x: Exchange): EarlyHints {
  return (headers: HeaderList) => {
    const problems = headerProblems(headers)
    /** early-hints.headers: `tsgi.early_hints` is called with a valid header list (the headers rules, status-specific ones aside). */
    x.r.check(problems.length === 0, 'early-hints.headers', () => `tsgi.early_hints: ${problems[0]?.[1]}`)
    /** early-hints.before-response: early hints are sent before the final response's first body bytes. */
    x.r.check(
      !x.headersSent,
      'early-hints.before-response',
      () => 'tsgi.early_hints was called after the response headers were sent',
    )
    return hints(headers)
  }
}

function isPair(header: unknown): header is [string, string] {
  return (
    Array.isArray(header) &&
    header.length === 2 &&
    typeof header[0] === 'string' &&
    typeof header[1] === 'string'
  )
}
