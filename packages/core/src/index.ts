export { CONNECTION_DESTROYED } from './connection-destroyed.ts'
export { createEnviron, type EnvironInit } from './create-environ.ts'
export { createErrorBuffer, createStderrStream, type ErrorBuffer } from './error-stream.ts'
export { TsgiArgumentError, TsgiError, TsgiSpecError } from './errors.ts'
export { HOP_BY_HOP_FIELDS } from './hop-by-hop.ts'
export { type InjectResponse, inject } from './inject.ts'
export { createInputStream } from './input-stream.ts'
export type { InjectRequest } from './request-environ.ts'
export { formatStatus, statusText } from './status.ts'
export { STATUS_CODES } from './status-codes.ts'
export type {
  App,
  Body,
  EarlyHints,
  Environ,
  ErrorStream,
  Header,
  HeaderList,
  InputStream,
  StartResponse,
  Write,
} from './types.ts'
export { applicationUri, requestUri, shiftPathInfo } from './url.ts'
export type { OnViolation } from './validate/reporter.ts'
export { type ValidateOptions, validate } from './validate/validate.ts'
