export * from './errors.ts'
export { LIMITS, type LimitName, type LimitSpec, type Limits, resolveLimits } from './limits.ts'
export { serve } from './server.ts'
export type { AccessLogEntry, ServeOptions, TsgiServer } from './server-options.ts'
