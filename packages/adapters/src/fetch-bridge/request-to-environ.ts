import type { Environ, ErrorStream, InputStream } from '@tsgi/core'
import { createInputStream } from '@tsgi/core'

/** Where a `toFetchHandler` environ gets what a `Request` does not carry. */
export interface FetchEnvironOptions<Context = unknown> {
  /**
   * The client address for `REMOTE_ADDR`: a fixed string, or a function of the request and
   * the second argument the runtime passes to the handler (Deno's `info`, Bun's `server`).
   */
  remoteAddress?: string | ((request: Request, context: Context) => string | undefined)
  /**
   * `SCRIPT_NAME`: the mount prefix as text (`/café`, not `/caf%C3%A9`), removed from the front
   * of `PATH_INFO` when the path is under it; a trailing `/` is dropped (`/api/` is `/api`).
   */
  scriptName?: string
  /** `tsgi.errors`; by default lines go to `console.error`. */
  errors?: ErrorStream
}

const CONSOLE_ERRORS: ErrorStream = {
  write: (text) => console.error(text.replace(/\n$/, '')),
  writelines: (lines) => {
    for (const line of lines) console.error(line.replace(/\n$/, ''))
  },
  flush: () => {},
}

const EMPTY_INPUT = new Uint8Array(0)

/**
 * The environ for a fetch `Request`, as a server would build it: `RAW_URI` is the URL's
 * path and query (fetch runtimes have already normalised it), `PATH_INFO` its
 * percent-decoded latin-1 form, `SERVER_NAME`/`SERVER_PORT` from the URL, `HTTP_*` from
 * the headers (names with `_` dropped, as the server does), `tsgi.input` pulling from
 * `request.body` (backpressure reaches the runtime), `tsgi.signal` the request's own signal.
 */
export function environFromFetchRequest<Context>(
  request: Request,
  options: FetchEnvironOptions<Context>,
  context: Context,
): Environ {
  const url = new URL(request.url)
  const scheme = url.protocol === 'https:' ? 'https' : 'http'
  const mount = options.scriptName ?? ''
  let path = decodePath(url.pathname)
  // A request outside the mount keeps its whole path and an empty SCRIPT_NAME: SCRIPT_NAME plus
  // PATH_INFO is always the request's path (SPEC environ.script-or-path).
  let scriptName = ''
  if (mount !== '' && (path === mount || path.startsWith(`${mount}/`))) {
    scriptName = mount
    path = path.slice(mount.length)
  }
  const environ: Environ = {
    REQUEST_METHOD: request.method,
    SCRIPT_NAME: scriptName,
    PATH_INFO: path,
    QUERY_STRING: url.search.slice(1),
    RAW_URI: `${url.pathname}${url.search}`,
    SERVER_NAME: url.hostname,
    SERVER_PORT: url.port || (scheme === 'https' ? '443' : '80'),
    SERVER_PROTOCOL: 'HTTP/1.1',
    'tsgi.version': [1, 0],
    'tsgi.url_scheme': scheme,
    'tsgi.input': input(request.body),
    'tsgi.errors': options.errors ?? CONSOLE_ERRORS,
    'tsgi.multithread': false,
    'tsgi.multiprocess': false,
    'tsgi.run_once': false,
    'tsgi.input_terminated': true,
    'tsgi.signal': request.signal,
  }
  const remote =
    typeof options.remoteAddress === 'function'
      ? options.remoteAddress(request, context)
      : options.remoteAddress
  if (remote !== undefined) environ.REMOTE_ADDR = remote
  for (const [name, value] of request.headers) {
    if (name === 'content-type') environ.CONTENT_TYPE = value
    else if (name === 'content-length') environ.CONTENT_LENGTH = value
    // As the tsgi server (and gunicorn, waitress): `x_forwarded_for` would land on the same key
    // as `x-forwarded-for`, so a client could pose as a header a proxy set. Drop such names.
    else if (!name.includes('_')) environ[`HTTP_${name.toUpperCase().replaceAll('-', '_')}`] = value
  }
  return environ
}

/**
 * `%XX` escapes to the bytes they stand for, one code point per byte (PEP 3333:
 * "native strings" are latin-1). Malformed escapes stay as they are.
 */
function decodePath(path: string): string {
  if (!path.includes('%')) return path
  return path.replace(/%([0-9a-fA-F]{2})/g, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)))
}

function input(body: ReadableStream<Uint8Array> | null): InputStream {
  return createInputStream(body === null ? EMPTY_INPUT : chunksOf(body))
}

/**
 * A `ReadableStream` as an async iterable read one chunk per request, without the
 * stream's own iterator (whose `return()` would cancel the upload).
 */
async function* chunksOf(stream: ReadableStream<Uint8Array>): AsyncGenerator<Uint8Array> {
  const reader = stream.getReader()
  for (;;) {
    const { done, value } = await reader.read()
    if (done) return
    yield value
  }
}
