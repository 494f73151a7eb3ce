import {
  type App,
  createEnviron,
  createErrorBuffer,
  type Environ,
  type EnvironInit,
  type ErrorBuffer,
  type InjectRequest,
  type InjectResponse,
  inject,
  type OnViolation,
  validate,
} from '../../src/index.ts'
import type { RuleId } from '../../src/validate/rules.ts'
import { type ServerQuirks, serveOnce } from '../serve-once.ts'

/** What a scenario gets: helpers bound to one validator mode and one errors buffer. */
export interface Ctx {
  /** The app wrapped in `validate` in the mode under test. */
  validate(app: App): App
  /** A valid environ (plus `init`) whose `tsgi.errors` is the shared buffer. */
  env(init?: EnvironInit): Environ
  /** `serveOnce(validate(app), env(init), quirks)`. */
  serve(app: App, init?: EnvironInit, quirks?: ServerQuirks): Promise<Uint8Array[]>
  /** `serveOnce(validate(app), environ, quirks)` with a raw environ of any shape. */
  serveRaw(app: App, environ: unknown, quirks?: ServerQuirks): Promise<Uint8Array[]>
  /** `inject(validate(app), request)` with the shared errors buffer. */
  inject(app: App, request?: InjectRequest): Promise<InjectResponse>
}

/** A rule, a scenario that breaks it, and the nearest scenario that does not. */
export interface RuleCase {
  rule: RuleId
  bad: (ctx: Ctx) => Promise<unknown>
  good: (ctx: Ctx) => Promise<unknown>
  /** The bad scenario has no usable `tsgi.errors`, so report mode falls back to stderr. */
  reportsToStderr?: boolean
}

/** A context for one scenario run. */
export function makeCtx(mode: OnViolation): Ctx & { errors: ErrorBuffer } {
  const errors = createErrorBuffer()
  const v = (app: App): App => validate(app, { onViolation: mode })
  const env = (init: EnvironInit = {}): Environ => createEnviron({ 'tsgi.errors': errors, ...init })
  return {
    errors,
    validate: v,
    env,
    serve: (app, init, quirks) => serveOnce(v(app), env(init), quirks),
    serveRaw: (app, environ, quirks) => serveOnce(v(app), environ, quirks),
    inject: (app, request = {}) =>
      inject(v(app), { ...request, environ: { 'tsgi.errors': errors, ...request.environ } }),
  }
}

export const encode = (text: string): Uint8Array => new TextEncoder().encode(text)

/** A conforming app answering `text` with Content-Type and Content-Length. */
export const hello: App = (_environ, startResponse) => {
  const body = encode('hello')
  startResponse('200 OK', [
    ['Content-Type', 'text/plain'],
    ['Content-Length', String(body.byteLength)],
  ])
  return [body]
}

/** An app that answers with exactly this status, headers and chunks. */
export function respond(status: string, headers: Array<[string, string]>, chunks: unknown[] = []): App {
  return (_environ, startResponse) => {
    startResponse(status, headers)
    return chunks as Uint8Array[]
  }
}
