import { TsgiServerError } from '../errors.ts'

/** A mistake in how `tsgi` was called: the CLI prints the message on one line and exits 2. */
export class UsageError extends TsgiServerError {
  override readonly name = 'UsageError'
  override readonly code = 'TSGI_CLI_USAGE'
}
