import type { App, Body, Environ, HeaderList } from '@tsgi/core'
import { createEnviron, type EnvironInit, inject, validate } from '@tsgi/core'

export { inject, validate }

/** `inject` through `validate()`: every adapter test checks both sides of the interface. */
export function call(app: App, request: Parameters<typeof inject>[1] = {}): ReturnType<typeof inject> {
  return inject(validate(app), request)
}

/** A response driven by hand, to observe streaming chunk by chunk. */
export interface Started {
  status: string
  headers: HeaderList
  body: Body
  iterator: AsyncIterator<Uint8Array>
  environ: Environ
  abort: AbortController
}

/** Calls `validate(app)` with a test environ and returns the unread body. */
export async function start(app: App, init: EnvironInit = {}): Promise<Started> {
  const abort = new AbortController()
  const environ = createEnviron({ 'tsgi.signal': abort.signal, ...init })
  let status = ''
  let headers: HeaderList = []
  const body = await validate(app)(environ, (s, h) => {
    status = s
    headers = h
    return async () => {}
  })
  const iterable = body as AsyncIterable<Uint8Array> & Iterable<Uint8Array>
  const iterator: AsyncIterator<Uint8Array> =
    typeof iterable[Symbol.asyncIterator] === 'function'
      ? iterable[Symbol.asyncIterator]()
      : toAsync(iterable[Symbol.iterator]())
  return { status, headers, body, iterator, environ, abort }
}

function toAsync(iterator: Iterator<Uint8Array>): AsyncIterator<Uint8Array> {
  return { next: async () => iterator.next() }
}

/** Header values by (case-insensitive) name, in order. */
export function headerValues(headers: HeaderList, name: string): string[] {
  return headers.filter(([n]) => n.toLowerCase() === name).map(([, v]) => v)
}

/** A promise and its resolver, to hold a producer until the test says go. */
export function deferred<T = void>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void
  const promise = new Promise<T>((r) => {
    resolve = r
  })
  return { promise, resolve }
}

export const text = (bytes: Uint8Array | undefined): string => new TextDecoder().decode(bytes)
