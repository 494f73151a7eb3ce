import type { ErrorStream } from '../types.ts'
import type { Exchange } from './exchange.ts'
import { Reporter, show } from './reporter.ts'
import { checkingProxy } from './stand-in.ts'
import { isThenable } from './thenable.ts'

type IteratorKind = typeof Symbol.iterator | typeof Symbol.asyncIterator

interface BodyState {
  iterators: number
  closed: boolean
}

// A body the server drops without calling close() is reported when it is garbage-collected, as
// wsgiref's validator does from __del__; a finalizer cannot throw, so this rule always reports.
const unclosed = new FinalizationRegistry<{ errors: unknown; request: string }>(({ errors, request }) => {
  /** body.close-called: the server calls the body's `close()`, when it has one, after the response ends, fails or is aborted. */
  new Reporter('report', errors as ErrorStream).fail(
    'body.close-called',
    `the server never called body.close() (${request})`,
  )
})

/**
 * Checks what the app returned and wraps it in a Proxy that checks the server's iteration and the
 * app's chunks. The Proxy keeps every other property of the body (an array stays an array).
 */
export function checkedBody(body: unknown, x: Exchange, errors: unknown, request: string): unknown {
  /** body.type: the app returns an iterable or async iterable of chunks; never a string, a bare Uint8Array, null or undefined. */
  if (
    !x.r.check(
      isIterable(body),
      'body.type',
      () => `the app must return an iterable of Uint8Array chunks, got ${show(body)}`,
    )
  ) {
    return body
  }
  const target = body as Record<string | symbol, unknown>
  const state: BodyState = { iterators: 0, closed: false }
  const proxy = checkingProxy(target, (key, value) => {
    if (typeof value !== 'function') return value
    if (key === Symbol.asyncIterator || key === Symbol.iterator) {
      return () => {
        /** body.iterate-once: the server iterates the body once. */
        x.r.check(
          ++state.iterators === 1,
          'body.iterate-once',
          () => 'the server iterated the body more than once',
        )
        return checkedIterator(value.call(target), x, state, key as IteratorKind)
      }
    }
    if (key === 'close') {
      return () => {
        x.r.check(!state.closed, 'body.close-called', () => 'the server called body.close() twice')
        state.closed = true
        unclosed.unregister(state)
        return value.call(target)
      }
    }
    return value.bind(target)
  })
  if (typeof target.close === 'function') unclosed.register(proxy, { errors, request }, state)
  return proxy
}

function checkedIterator(
  inner: Iterator<unknown> | AsyncIterator<unknown>,
  x: Exchange,
  state: BodyState,
  kind: IteratorKind,
): object {
  const check = (step: unknown): IteratorResult<unknown> => {
    if (
      !x.r.check(
        typeof step === 'object' && step !== null,
        'body.type',
        () => `the body's iterator must give { done, value } results, got ${show(step)}`,
      )
    )
      return step as IteratorResult<unknown>
    const result = step as IteratorResult<unknown>
    if (result.done) finished(x)
    else checkChunk(result.value, x)
    return result
  }
  const next = (inner as { next?: unknown } | null)?.next
  /** body.type: the iterable's iterator has a `next` method (it is a real iterable). */
  x.r.check(
    typeof next === 'function',
    'body.type',
    () =>
      `the body's [Symbol.${kind === Symbol.iterator ? 'iterator' : 'asyncIterator'}]() must return an iterator, got ${show(inner)}`,
  )
  const wrapped: Record<string | symbol, unknown> = {
    next: (...args: unknown[]) => {
      /** body.no-read-after-close: the server never asks the body for a chunk after calling its `close()`. */
      x.r.check(!state.closed, 'body.no-read-after-close', () => 'the server read the body after closing it')
      x.iterationBegan = true
      const step = (next as (...all: unknown[]) => unknown).apply(inner, args)
      return isThenable(step) ? Promise.resolve(step).then(check) : check(step)
    },
    // Iterators are iterable (`for await (const c of body[Symbol.asyncIterator]())` works).
    [kind](): object {
      return this
    },
  }
  for (const method of ['return', 'throw'] as const) {
    const original = inner?.[method]
    if (typeof original === 'function') wrapped[method] = original.bind(inner)
  }
  return wrapped
}

function checkChunk(chunk: unknown, x: Exchange): void {
  /** body.chunk-type: every chunk the body yields is a Uint8Array (a Buffer is one); empty chunks are allowed. */
  if (
    !x.r.check(
      chunk instanceof Uint8Array,
      'body.chunk-type',
      () => `body chunks must be Uint8Array, got ${show(chunk)}`,
    )
  )
    return
  const bytes = chunk as Uint8Array
  if (bytes.byteLength === 0) return
  /** response.started-before-body: the app calls startResponse before the body yields its first non-empty chunk, and before the body ends. */
  x.r.check(
    x.started,
    'response.started-before-body',
    () => 'the body yielded bytes before startResponse was called',
  )
  countBytes(bytes, x)
}

/** Accounts for body bytes from `write()` or the iterable and checks them against the response. */
export function countBytes(chunk: Uint8Array, x: Exchange): void {
  if (chunk.byteLength === 0) return
  x.headersSent = true
  x.bytes += chunk.byteLength
  /** body.head-empty: the response to a HEAD request has an empty body (its Content-Length may still describe the GET body). */
  x.r.check(
    x.method !== 'HEAD',
    'body.head-empty',
    () => `a HEAD response must have an empty body, got ${x.bytes} bytes`,
  )
  /** body.bodiless-status: 204 and 304 responses have an empty body (RFC 9110 §15.3.5, §15.4.5). */
  x.r.check(
    x.code !== 204 && x.code !== 304,
    'body.bodiless-status',
    () => `a ${x.code} response must have an empty body, got ${x.bytes} bytes`,
  )
  if (lengthApplies(x)) {
    x.r.check(
      x.bytes <= x.declared!,
      'body.content-length',
      () => `Content-Length is ${x.declared} but the body sent ${x.bytes} bytes so far`,
    )
  }
}

function finished(x: Exchange): void {
  x.r.check(
    x.started,
    'response.started-before-body',
    () => 'the body ended and startResponse was never called',
  )
  if (lengthApplies(x)) {
    /** body.content-length: the body's byte count (write() plus chunks) equals Content-Length, when the app sets it (except HEAD and 304). */
    x.r.check(
      x.bytes === x.declared,
      'body.content-length',
      () => `Content-Length is ${x.declared} but the body had ${x.bytes} bytes`,
    )
  }
}

function lengthApplies(x: Exchange): boolean {
  return x.declared !== undefined && x.method !== 'HEAD' && x.code !== 304
}

function isIterable(body: unknown): boolean {
  if (typeof body !== 'object' || body === null || body instanceof Uint8Array) return false
  const iterable = body as Record<symbol, unknown>
  return (
    typeof iterable[Symbol.asyncIterator] === 'function' || typeof iterable[Symbol.iterator] === 'function'
  )
}
