import type { Environ, InputStream } from '@tsgi/core'

/** How much one pull asks `tsgi.input` for; the input returns less when less is buffered. */
const PULL_BYTES = 64 * 1024

/**
 * Whether the request carries a body at all. GET and HEAD never do for a fetch `Request`
 * (the constructor refuses one); otherwise a `CONTENT_LENGTH` above zero or a
 * `tsgi.input_terminated` input (chunked upload) means there is one.
 */
export function hasRequestBody(environ: Environ): boolean {
  const method = environ.REQUEST_METHOD
  if (method === 'GET' || method === 'HEAD') return false
  const length = environ.CONTENT_LENGTH
  if (length !== undefined && length !== '') return length !== '0'
  return environ['tsgi.input_terminated'] === true
}

/**
 * `tsgi.input` as a web `ReadableStream`, pull-based: a chunk is read from the input
 * only when the consumer asks for one (`highWaterMark: 0`), so a slow handler slows the
 * upload down instead of filling memory. Cancelling the stream stops reading; the input
 * itself is left open because PEP 3333 forbids an app to close it.
 */
export function inputBody(input: InputStream): ReadableStream<Uint8Array> {
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller): Promise<void> {
        const chunk = await input.read(PULL_BYTES)
        if (chunk.byteLength === 0) controller.close()
        else controller.enqueue(chunk)
      },
    },
    { highWaterMark: 0 },
  )
}
