/**
 * The TSGI 1.0 interface: the types every server, app and middleware agree on.
 * `SPEC.md` is normative; these types are its machine-checked half.
 */

/** One response or request header: `[name, value]`, both latin-1 strings (U+0000..U+00FF). */
export type Header = [name: string, value: string]

/** Headers as a list, so repeated names (`Set-Cookie`) survive in order. */
export type HeaderList = Header[]

/**
 * The legacy imperative write returned by `startResponse`. Resolves when the bytes
 * were sent or queued; waiting on it is how an app honours backpressure.
 */
export type Write = (chunk: Uint8Array) => Promise<void>

/**
 * Begins the response. `status` is `"200 OK"` style. Headers are held until the first
 * non-empty body chunk. Called again with `excInfo` it replaces unsent headers, or
 * rethrows `excInfo` when headers already went out.
 */
export type StartResponse = (status: string, headers: HeaderList, excInfo?: unknown) => Write

/** What an app returns: an iterable of byte chunks, optionally closable. */
export type Body = (Iterable<Uint8Array> | AsyncIterable<Uint8Array>) & {
  close?(): void | Promise<void>
}

/** A gateway app: the one function a server calls per request. */
export type App = (environ: Environ, startResponse: StartResponse) => Body | Promise<Body>

/** `tsgi.input`: the request body as a stream of bytes. Empty chunk at the end. */
export interface InputStream extends AsyncIterable<Uint8Array> {
  /** Up to `size` bytes (all remaining when omitted); an empty array at the end. */
  read(size?: number): Promise<Uint8Array>
  /** One line including its `\n`, at most `size` bytes; an empty array at the end. */
  readline(size?: number): Promise<Uint8Array>
}

/** `tsgi.errors`: text that goes to the server's error log. */
export interface ErrorStream {
  write(text: string): void
  writelines(lines: Iterable<string>): void
  flush(): void
}

/** `tsgi.early_hints`: sends a `103 Early Hints` informational response. */
export type EarlyHints = (headers: HeaderList) => Promise<void>

/** The request, as a plain object of CGI keys and `tsgi.*` keys. */
export interface Environ {
  REQUEST_METHOD: string
  SCRIPT_NAME: string
  PATH_INFO: string
  QUERY_STRING: string
  SERVER_NAME: string
  SERVER_PORT: string
  SERVER_PROTOCOL: string
  CONTENT_TYPE?: string
  CONTENT_LENGTH?: string
  REMOTE_ADDR?: string
  REMOTE_PORT?: string
  LOCAL_ADDR?: string
  LOCAL_PORT?: string
  RAW_URI?: string
  'tsgi.version': readonly [1, 0]
  'tsgi.url_scheme': 'http' | 'https'
  'tsgi.input': InputStream
  'tsgi.errors': ErrorStream
  'tsgi.multithread': boolean
  'tsgi.multiprocess': boolean
  'tsgi.run_once': boolean
  'tsgi.input_terminated'?: boolean
  'tsgi.signal'?: AbortSignal
  'tsgi.early_hints'?: EarlyHints
  /** `HTTP_*` request headers and server- or middleware-specific dotted keys. */
  [key: string]: unknown
}
