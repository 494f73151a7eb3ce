import { createHash } from 'node:crypto'
import { BINARY, downloadBody, pattern } from '../apps/fixtures.ts'
import { describeBody } from '../normalize.ts'
import type { Scenario } from '../types.ts'
import { expectAll, jsonBody, oneRequest } from './define.ts'

/** 8 MiB of a pattern that is not all one byte, so a dropped or repeated piece changes the hash. */
const LARGE = pattern(8 * 1024 * 1024, 7, 12)
const CHUNKED = ['first chunk, ', 'second chunk with UTF-8 é, ', Buffer.from(BINARY)]

const sha256 = (bytes: Uint8Array | Uint8Array[]): string => {
  const hash = createHash('sha256')
  for (const part of Array.isArray(bytes) ? bytes : [bytes]) hash.update(part)
  return hash.digest('hex')
}

const uploaded = (bytes: number, digest: string) => (body: Record<string, unknown> | undefined) =>
  expectAll(
    [body?.bytes === bytes, `the app counted ${String(body?.bytes)} bytes, sent ${bytes}`],
    [body?.sha256 === digest, 'the app hashed different bytes than were sent'],
  )

/** Request and response bodies: JSON, bytes, big, chunked, empty. */
export const bodyScenarios: Scenario[] = [
  oneRequest(
    'json: echo with UTF-8',
    {
      method: 'POST',
      target: '/json',
      headers: [['Content-Type', 'application/json']],
      body: JSON.stringify({ a: 1, text: 'café ✓ 日本', nested: [true, null, { x: 2.5 }] }),
    },
    (response) =>
      expectAll([
        (jsonBody(response)?.received as { text?: string })?.text === 'café ✓ 日本',
        'JSON differs',
      ]),
  ),
  oneRequest(
    'json: malformed body is a 400',
    { method: 'POST', target: '/json', headers: [['Content-Type', 'application/json']], body: '{"a":' },
    (response) => expectAll([response.status === 400, `expected 400, got ${response.status}`]),
  ),
  oneRequest('binary: download all 256 byte values', { target: '/binary' }, (response) =>
    expectAll([response.body === describeBody(BINARY), 'the bytes differ from 0..255']),
  ),
  oneRequest(
    'binary: upload and echo all 256 byte values',
    {
      method: 'POST',
      target: '/binary',
      headers: [['Content-Type', 'application/octet-stream']],
      body: BINARY,
    },
    (response) => expectAll([response.body === describeBody(BINARY), 'the echoed bytes differ']),
  ),
  oneRequest('binary: 1 MiB download', { target: '/download' }, (response) =>
    expectAll([response.body === describeBody(downloadBody()), 'the download differs from the pattern']),
  ),
  oneRequest(
    'upload: 8 MiB hashed while streaming',
    {
      method: 'POST',
      target: '/upload',
      headers: [['Content-Type', 'application/octet-stream']],
      body: LARGE,
    },
    (response) => uploaded(LARGE.byteLength, sha256(LARGE))(jsonBody(response)),
  ),
  oneRequest(
    'upload: chunked request body',
    {
      method: 'POST',
      target: '/upload',
      headers: [['Content-Type', 'application/octet-stream']],
      chunks: CHUNKED,
    },
    (response) => {
      const parts = CHUNKED.map((part) => (typeof part === 'string' ? Buffer.from(part) : part))
      return uploaded(Buffer.concat(parts).byteLength, sha256(parts))(jsonBody(response))
    },
  ),
  // No body, no Content-Length: the app must not be told "Content-Length: 0" it never got.
  oneRequest('upload: POST without a body', { method: 'POST', target: '/echo' }, (response) =>
    expectAll([jsonBody(response)?.body === '', 'the app read a body that was not sent']),
  ),
  oneRequest('upload: empty body with Content-Length: 0', {
    method: 'POST',
    target: '/echo',
    headers: [['Content-Length', '0']],
  }),
]
