import type { Environ, InputStream } from '@tsgi/core'

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
 * `tsgi.input` as a web `ReadableStream`, pull-based: a chunk is taken from the input
 * only when the consumer asks for one (`highWaterMark: 0`), so a slow handler slows the
 * upload down instead of filling memory. The input's iterator hands over chunks as they
 * arrive (a `read(size)` would wait until `size` bytes are there, holding back a slow
 * streaming upload). Cancelling stops reading; the input itself stays open because
 * PEP 3333 forbids an app to close it.
 */
export function inputBody(input: InputStream): ReadableStream<Uint8Array> {
  let chunks: AsyncIterator<Uint8Array> | undefined
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller): Promise<void> {
        chunks ??= input[Symbol.asyncIterator]()
        const step = await chunks.next()
        if (step.done) controller.close()
        else controller.enqueue(step.value)
      },
    },
    { highWaterMark: 0 },
  )
}
