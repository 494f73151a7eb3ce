import type { App } from '@tsgi/core'

/** `200 OK`, text/plain, the given text, as a one-chunk array body. */
export function textApp(text: string, status = '200 OK'): App {
  return (_environ, startResponse) => {
    startResponse(status, [['Content-Type', 'text/plain']])
    return [Buffer.from(text, 'latin1')]
  }
}

/** Answers with the method and raw target, and the whole request body. */
export const echoLineApp: App = async (environ, startResponse) => {
  const body = await environ['tsgi.input'].read()
  startResponse('200 OK', [['Content-Type', 'text/plain']])
  return [
    Buffer.from(
      `${environ.REQUEST_METHOD} ${environ.RAW_URI} ${Buffer.from(body).toString('latin1')}`,
      'latin1',
    ),
  ]
}

/** A promise with its resolve function outside, for sequencing tests. */
export function deferred<T = void>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void
  const promise = new Promise<T>((r) => {
    resolve = r
  })
  return { promise, resolve }
}
