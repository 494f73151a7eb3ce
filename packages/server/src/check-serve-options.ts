import { didYouMean } from './cli/did-you-mean.ts'
import { InvalidOptionError } from './errors.ts'
import type { ServeOptions } from './server-options.ts'

type Check = (value: unknown) => boolean

const isFunction: Check = (value) => typeof value === 'function'

/** Each option `serve()` takes, and what its value may be (`undefined` is always the default). */
const OPTIONS: Record<keyof ServeOptions, { expected: string; check: Check }> = {
  bind: {
    expected: 'an array of addresses (HOST:PORT, [IPv6]:PORT or unix:/path)',
    check: (value) => Array.isArray(value) && value.every((bind) => typeof bind === 'string'),
  },
  limits: {
    expected: 'an object of limits',
    check: (value) => typeof value === 'object' && value !== null && !Array.isArray(value),
  },
  serverHeader: {
    expected: 'a string, or false',
    check: (value) => typeof value === 'string' || value === false,
  },
  multiprocess: { expected: 'a boolean', check: (value) => typeof value === 'boolean' },
  accessLog: {
    expected: 'a function (entry) => void, or false',
    check: (value) => isFunction(value) || value === false,
  },
  errorLog: { expected: 'a function (text) => void', check: isFunction },
  urlScheme: { expected: "'http' or 'https'", check: (value) => value === 'http' || value === 'https' },
  server: {
    expected: 'a net.Server',
    check: (value) => typeof (value as { listen?: unknown } | null)?.listen === 'function',
  },
}

const NAMES = Object.keys(OPTIONS)

/**
 * Checks what `serve()` was given before anything listens: a JavaScript caller (or a config file)
 * gets one clear {@link InvalidOptionError} for a wrong type or a misspelt name, rather than a
 * TypeError deep inside, an option silently ignored, or a failure on every request.
 */
export function checkServeOptions(app: unknown, options: unknown): asserts options is ServeOptions {
  if (typeof app !== 'function') {
    throw new InvalidOptionError(
      `serve() expects an app (environ, startResponse) => body, got ${describe(app)}`,
    )
  }
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new InvalidOptionError(`serve() options must be an object, got ${describe(options)}`)
  }
  for (const [name, value] of Object.entries(options)) {
    const option = OPTIONS[name as keyof ServeOptions]
    if (option === undefined) {
      const near = didYouMean(name, NAMES)
      throw new InvalidOptionError(`unknown serve() option ${name}${near ? ` (did you mean ${near}?)` : ''}`)
    }
    if (value !== undefined && !option.check(value)) {
      throw new InvalidOptionError(
        `serve() option ${name} must be ${option.expected}, got ${describe(value)}`,
      )
    }
  }
}

function describe(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'an array'
  if (typeof value === 'string') return JSON.stringify(value)
  if (typeof value === 'object') return 'an object'
  if (typeof value === 'function') return 'a function'
  return `${typeof value} ${String(value)}`
}
