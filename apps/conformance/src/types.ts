/**
 * The vocabulary of the conformance suite: what a scenario sends, what a transport
 * returns, and what gets diffed. Everything here is plain data so it can be printed.
 */

/** The three ways one framework app is run. */
export type WayName = 'memory' | 'tsgi' | 'native'

/** A request as a scenario writes it, before any transport has framed it. */
export interface ScenarioRequest {
  method?: string
  /** The request-target exactly as it goes on the wire (already percent-encoded). */
  target: string
  /** Header lines in order; repeats are kept. `Host` defaults to `conformance.local`. */
  headers?: Array<[string, string]>
  /** The body. On TCP it gets a `Content-Length`, unless `chunks` is used instead. */
  body?: string | Uint8Array
  /** Send the body as these chunks with `Transfer-Encoding: chunked` (in memory: no `CONTENT_LENGTH`). */
  chunks?: Array<string | Uint8Array>
  /** `'1.1'` by default. */
  httpVersion?: '1.0' | '1.1'
}

/**
 * A response reduced to what should not depend on the transport: status, reason, headers
 * (names lower-cased and sorted, repeats kept in order, `Date` dropped) and the body.
 */
export interface NormalizedResponse {
  status: number
  reason: string
  headers: Record<string, string[]>
  /** The body as text when it is printable UTF-8, else `base64:<...>`, or `sha256:<hex> (<n> bytes)` when big. */
  body: string
  /** How the body was delimited on the wire; absent in memory. */
  framing?: 'length' | 'chunked' | 'close' | 'none'
  /** Informational (1xx) statuses received before this response, in order; absent in memory. */
  interim?: number[]
}

/** What a scenario observed: a JSON-like value that is diffed field by field across ways. */
export type Observation = { [key: string]: unknown }

/** A raw TCP connection, for scenarios about the wire itself. */
export interface WireConnection {
  /** The client's local port, to compare with what the app reports as the remote port. */
  readonly localPort: number
  /** The server's port, to compare with what the app reports as its local port. */
  readonly remotePort: number
  write(bytes: string | Uint8Array): Promise<void>
  /** Reads one response head (interim ones included), without its body. */
  readHead(): Promise<ResponseHead>
  /** Reads the body of `head` as it arrives, part by part. */
  bodyParts(head: ResponseHead, method?: string): AsyncGenerator<Uint8Array>
  /** Reads a whole final response (skipping and recording 1xx ones), from `first` when it was read already. */
  readResponse(method?: string, first?: ResponseHead): Promise<NormalizedResponse>
  /** Changes how long each read waits before failing with "timed out". */
  setReadTimeout(ms: number): void
  /** Resolves `true` when the server closes the connection within `ms`, `false` otherwise. */
  closedWithin(ms: number): Promise<boolean>
  /** Closes the connection with our FIN. */
  destroy(): void
  /** Aborts the connection with a TCP RST, as a crashed or killed client does. */
  reset(): void
}

/** A parsed status line and header block, names as sent. */
export interface ResponseHead {
  version: string
  status: number
  reason: string
  headers: Array<[string, string]>
}

/** What a scenario gets to work with. */
export interface ScenarioContext {
  /** The framework under test, for scenarios whose expectation depends on it. */
  framework: string
  way: WayName
  request(request: ScenarioRequest): Promise<NormalizedResponse>
  /** Opens a raw connection; only on the TCP ways. */
  connect?(): Promise<WireConnection>
}

/** One row of the matrix. */
export interface Scenario {
  /** Unique, short, readable: it is the matrix's row label and the allow-list's key. */
  name: string
  /** Needs a socket: on `memory` it is reported as n/a. */
  wire?: boolean
  run(context: ScenarioContext): Promise<Observation>
  /**
   * An absolute expectation on every way's observation (diffs are relative, so without it a
   * framework broken everywhere would pass). Returns a message when it is not met.
   */
  check?(observation: Observation, context: Pick<ScenarioContext, 'framework' | 'way'>): string | undefined
}
