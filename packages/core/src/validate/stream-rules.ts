import type { ErrorStream, InputStream } from '../types.ts'
import type { Exchange } from './exchange.ts'
import { show } from './reporter.ts'
import { checkingProxy } from './stand-in.ts'
import { isThenable } from './thenable.ts'

type Method = 'read' | 'readline' | 'iterate'

/** Wraps `tsgi.input` in a Proxy that checks the app's calls and the server's answers. */
export function checkedInput(input: InputStream, x: Exchange, contentLength: unknown): InputStream {
  const limit =
    typeof contentLength === 'string' && /^\d+$/.test(contentLength) ? Number(contentLength) : undefined
  const state = { consumed: 0, ended: false }
  const result = (bytes: unknown, method: Method, size?: number): unknown => {
    /** input.bytes: `read`, `readline` and iteration give Uint8Array chunks. */
    if (
      !x.r.check(
        bytes instanceof Uint8Array,
        'input.bytes',
        () => `tsgi.input.${method} must give a Uint8Array, got ${show(bytes)}`,
      )
    )
      return bytes
    const length = (bytes as Uint8Array).byteLength
    /** input.size-limit: `read(size)` and `readline(size)` give at most `size` bytes. */
    x.r.check(
      size === undefined || length <= size,
      'input.size-limit',
      () => `tsgi.input.${method}(${size}) gave ${length} bytes`,
    )
    /** input.bytes: iteration yields the body in chunks of any size, none of them empty. */
    if (method === 'iterate')
      x.r.check(length > 0, 'input.bytes', () => 'tsgi.input iteration yielded an empty chunk')
    const newline = (bytes as Uint8Array).indexOf(0x0a)
    /** input.readline: `readline` gives at most one line: a `\n` can only be its last byte. */
    if (method === 'readline')
      x.r.check(
        newline === -1 || newline === length - 1,
        'input.readline',
        () => 'tsgi.input.readline gave bytes past the end of the line',
      )
    /** input.eof: once the input signalled its end (an empty or short result, or all of it read), it stays empty. */
    x.r.check(
      !state.ended || length === 0,
      'input.eof',
      () => `tsgi.input.${method} gave ${length} bytes after the end of the input`,
    )
    state.consumed += length
    /** input.content-length: the input never gives more bytes than CONTENT_LENGTH, when that is set. */
    x.r.check(
      limit === undefined || state.consumed <= limit,
      'input.content-length',
      () => `tsgi.input gave ${state.consumed} bytes, past CONTENT_LENGTH ${limit}`,
    )
    // read(size) gives exactly size bytes unless the body ends first, so a short read is the end too.
    if (
      (length === 0 && size !== 0 && method !== 'iterate') ||
      (method === 'read' && (size === undefined || length < size))
    ) {
      state.ended = true
    }
    return bytes
  }
  const sized = (method: 'read' | 'readline', call: (...args: unknown[]) => Promise<unknown>) => {
    return (...args: unknown[]) => {
      const [size] = args
      /** input.read-size: `read` and `readline` take no argument or one non-negative integer. */
      x.r.check(
        args.length === 0 ||
          (args.length === 1 &&
            (size === undefined || (Number.isSafeInteger(size) && (size as number) >= 0))),
        'input.read-size',
        () =>
          `tsgi.input.${method}() takes no size or a non-negative integer, got ${args.map(show).join(', ')}`,
      )
      const answer = call(...args)
      x.r.check(
        isThenable(answer),
        'input.bytes',
        () => `tsgi.input.${method}() must return a promise of a Uint8Array, got ${show(answer)}`,
      )
      return Promise.resolve(answer).then((bytes) => result(bytes, method, size as number | undefined))
    }
  }
  const target = input
  return checkingProxy(input, (key, value) => {
    if (key === 'read' || key === 'readline')
      return sized(key, (value as (...args: unknown[]) => Promise<unknown>).bind(target))
    if (key === 'close') {
      return (...args: unknown[]) => {
        /** input.no-close: the app never closes `tsgi.input`; the server owns it. */
        x.r.fail('input.no-close', 'the app must not close tsgi.input')
        return typeof value === 'function' ? value.apply(target, args) : undefined
      }
    }
    if (key === Symbol.asyncIterator && typeof value === 'function') {
      return () => {
        const inner = value.call(target) as AsyncIterator<unknown>
        return {
          next: () =>
            inner.next().then((step) => {
              if (step.done) state.ended = true
              return step.done ? step : { ...step, value: result(step.value, 'iterate') }
            }),
          return: (v?: unknown) => inner.return?.(v) ?? Promise.resolve({ done: true, value: v }),
        }
      }
    }
    return typeof value === 'function' ? value.bind(target) : value
  })
}

/** Wraps `tsgi.errors` in a Proxy that checks the app's calls. */
export function checkedErrors(errors: ErrorStream, x: Exchange): ErrorStream {
  const target = errors
  return checkingProxy(errors, (key, value) => {
    if (key === 'write') {
      return (...args: unknown[]) => {
        /** errors.write-string: `tsgi.errors.write` takes one string, and `writelines` an iterable of strings. */
        x.r.check(
          args.length === 1 && typeof args[0] === 'string',
          'errors.write-string',
          () => `tsgi.errors.write() takes one string, got ${args.map(show).join(', ')}`,
        )
        return target.write(...(args as [string]))
      }
    }
    if (key === 'writelines') {
      return (lines: Iterable<unknown>) => {
        const iterable =
          typeof (lines as { [Symbol.iterator]?: unknown } | null)?.[Symbol.iterator] === 'function'
        x.r.check(
          iterable,
          'errors.write-string',
          () => `tsgi.errors.writelines() takes an iterable of strings, got ${show(lines)}`,
        )
        const list = iterable ? [...lines] : []
        const bad = list.find((line) => typeof line !== 'string')
        x.r.check(
          bad === undefined,
          'errors.write-string',
          () => `tsgi.errors.writelines() takes strings, got ${show(bad)}`,
        )
        return target.writelines(list as string[])
      }
    }
    if (key === 'close') {
      return (...args: unknown[]) => {
        /** errors.no-close: the app never closes `tsgi.errors`; the server owns it. */
        x.r.fail('errors.no-close', 'the app must not close tsgi.errors')
        return typeof value === 'function' ? value.apply(target, args) : undefined
      }
    }
    return typeof value === 'function' ? value.bind(target) : value
  })
}
