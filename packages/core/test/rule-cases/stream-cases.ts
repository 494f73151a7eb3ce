import { type App, createInputStream, type InputStream } from '../../src/index.ts'
import { encode, type RuleCase } from './context.ts'

/** An input stream whose every read answers `answers` in turn (then empty bytes). */
function scripted(...answers: unknown[]): InputStream {
  const next = async (): Promise<Uint8Array> => (answers.shift() ?? new Uint8Array()) as Uint8Array
  return {
    read: next,
    readline: next,
    [Symbol.asyncIterator]: () => ({ next: async () => ({ done: true, value: undefined }) }),
  }
}

/** An app that runs `use(input)`, then answers 204. */
function reads(use: (input: InputStream) => Promise<unknown>): App {
  return async (environ, startResponse) => {
    await use(environ['tsgi.input'])
    startResponse('204 No Content', [])
    return []
  }
}

/** An app that runs `use(errors)`, then answers 204. */
function logs(use: (errors: Record<string, (...args: unknown[]) => unknown>) => void): App {
  return (environ, startResponse) => {
    use(environ['tsgi.errors'] as never)
    startResponse('204 No Content', [])
    return []
  }
}

/** One bad and one good case per `tsgi.input` and `tsgi.errors` rule. */
export const streamCases: RuleCase[] = [
  {
    rule: 'input.read-size',
    bad: (c) =>
      c.serve(
        reads((input) => input.read(-1)),
        { body: 'abc' },
      ),
    good: (c) =>
      c.serve(
        reads((input) => input.read(2)),
        { body: 'abc' },
      ),
  },
  {
    rule: 'input.bytes',
    bad: (c) =>
      c.serve(
        reads((input) => input.read()),
        { 'tsgi.input': scripted('abc') },
      ),
    good: (c) =>
      c.serve(
        reads((input) => input.read()),
        { 'tsgi.input': scripted(encode('abc')) },
      ),
  },
  {
    rule: 'input.size-limit',
    bad: (c) =>
      c.serve(
        reads((input) => input.read(2)),
        { 'tsgi.input': scripted(encode('abc')) },
      ),
    good: (c) =>
      c.serve(
        reads((input) => input.read(2)),
        { 'tsgi.input': scripted(encode('ab')) },
      ),
  },
  {
    rule: 'input.readline',
    bad: (c) =>
      c.serve(
        reads((input) => input.readline()),
        { 'tsgi.input': scripted(encode('a\nb')) },
      ),
    good: (c) =>
      c.serve(
        reads((input) => input.readline()),
        { body: 'a\nb' },
      ),
  },
  {
    rule: 'input.content-length',
    bad: (c) =>
      c.serve(
        reads((input) => input.read()),
        { body: 'abc', CONTENT_LENGTH: '2' },
      ),
    good: (c) =>
      c.serve(
        reads((input) => input.read()),
        { body: 'abc', CONTENT_LENGTH: '3' },
      ),
  },
  {
    rule: 'input.eof',
    bad: (c) =>
      c.serve(
        reads(async (input) => [await input.read(2), await input.read(1)]),
        { 'tsgi.input': scripted(encode('a'), encode('x')) },
      ),
    good: (c) =>
      c.serve(
        reads(async (input) => [await input.read(1), await input.read(1), await input.read(1)]),
        { 'tsgi.input': createInputStream(encode('x')) },
      ),
  },
  {
    rule: 'input.no-close',
    bad: (c) => c.serve(reads(async (input) => (input as unknown as { close(): void }).close())),
    good: (c) => c.serve(reads(async (input) => input.read())),
  },
  {
    rule: 'errors.write-string',
    bad: (c) => c.serve(logs((errors) => errors.writelines!(['ok\n', 42]))),
    good: (c) => c.serve(logs((errors) => errors.writelines!(['ok\n', 'fine\n']))),
  },
  {
    rule: 'errors.no-close',
    bad: (c) => c.serve(logs((errors) => errors.close!())),
    good: (c) => c.serve(logs((errors) => errors.flush!())),
  },
]
