import { createInputStream } from '../../src/index.ts'
import { hello, type RuleCase } from './context.ts'

/** One bad and one good environ per server-side environ rule. */
export const environCases: RuleCase[] = [
  {
    rule: 'app.call-args',
    bad: (c) => c.serve(hello, {}, { extraArgs: ['extra'] }),
    good: (c) => c.serve(hello),
  },
  {
    rule: 'environ.plain-object',
    bad: (c) => c.serveRaw(hello, Object.freeze(c.env())),
    good: (c) => c.serveRaw(hello, Object.assign(Object.create(null), c.env())),
  },
  {
    rule: 'environ.required-keys',
    bad: (c) => c.serve(hello, { QUERY_STRING: undefined }),
    good: (c) => c.serve(hello, { QUERY_STRING: '' }),
  },
  {
    rule: 'environ.cgi-strings',
    bad: (c) => c.serve(hello, { HTTP_X_COUNT: 3 }),
    good: (c) => c.serve(hello, { HTTP_X_COUNT: '3' }),
  },
  {
    rule: 'environ.latin1',
    bad: (c) => c.serve(hello, { HTTP_X_NAME: 'Łódź' }),
    good: (c) => c.serve(hello, { HTTP_X_NAME: 'Ã\u0081' }),
  },
  {
    rule: 'environ.request-method',
    bad: (c) => c.serve(hello, { REQUEST_METHOD: 'GET /' }),
    good: (c) => c.serve(hello, { REQUEST_METHOD: 'PROPFIND' }),
  },
  {
    rule: 'environ.script-name',
    bad: (c) => c.serve(hello, { SCRIPT_NAME: '/', PATH_INFO: '/x' }),
    good: (c) => c.serve(hello, { SCRIPT_NAME: '/app', PATH_INFO: '/x' }),
  },
  {
    rule: 'environ.path-info',
    bad: (c) => c.serve(hello, { PATH_INFO: 'foo' }),
    good: (c) => c.serve(hello, { REQUEST_METHOD: 'OPTIONS', PATH_INFO: '*' }),
  },
  {
    rule: 'environ.script-or-path',
    bad: (c) => c.serve(hello, { SCRIPT_NAME: '', PATH_INFO: '' }),
    good: (c) => c.serve(hello, { SCRIPT_NAME: '/app', PATH_INFO: '' }),
  },
  {
    rule: 'environ.server-name',
    bad: (c) => c.serve(hello, { SERVER_NAME: '' }),
    good: (c) => c.serve(hello, { SERVER_NAME: 'example.com' }),
  },
  {
    rule: 'environ.server-port',
    bad: (c) => c.serve(hello, { SERVER_PORT: '' }),
    good: (c) => c.serve(hello, { SERVER_PORT: '8080' }),
  },
  {
    rule: 'environ.server-protocol',
    bad: (c) => c.serve(hello, { SERVER_PROTOCOL: 'HTTP/one' }),
    good: (c) => c.serve(hello, { SERVER_PROTOCOL: 'HTTP/1.0' }),
  },
  {
    rule: 'environ.content-length',
    bad: (c) => c.serve(hello, { CONTENT_LENGTH: '' }),
    good: (c) => c.serve(hello, { CONTENT_LENGTH: '0' }),
  },
  {
    rule: 'environ.no-http-content',
    bad: (c) => c.serve(hello, { HTTP_CONTENT_TYPE: 'text/plain' }),
    good: (c) => c.serve(hello, { CONTENT_TYPE: 'text/plain' }),
  },
  {
    rule: 'environ.http-keys',
    bad: (c) => c.serve(hello, { 'HTTP_x-trace': '1' }),
    good: (c) => c.serve(hello, { HTTP_X_TRACE: '1' }),
  },
  {
    rule: 'environ.version',
    bad: (c) => c.serve(hello, { 'tsgi.version': [1, 1] as unknown as [1, 0] }),
    good: (c) => c.serve(hello, { 'tsgi.version': [1, 0] }),
  },
  {
    rule: 'environ.url-scheme',
    bad: (c) => c.serve(hello, { 'tsgi.url_scheme': 'ftp' as 'http' }),
    good: (c) => c.serve(hello, { 'tsgi.url_scheme': 'https' }),
  },
  {
    rule: 'environ.flags',
    bad: (c) => c.serve(hello, { 'tsgi.run_once': 0 as unknown as boolean }),
    good: (c) => c.serve(hello, { 'tsgi.run_once': true }),
  },
  {
    rule: 'environ.input',
    bad: (c) => c.serve(hello, { 'tsgi.input': { read: async () => new Uint8Array() } as never }),
    good: (c) => c.serve(hello, { 'tsgi.input': createInputStream(new Uint8Array()) }),
  },
  {
    rule: 'environ.errors',
    bad: (c) => c.serve(hello, { 'tsgi.errors': { write() {} } as never }),
    good: (c) => c.serve(hello),
    reportsToStderr: true,
  },
  {
    rule: 'environ.input-terminated',
    bad: (c) => c.serve(hello, { 'tsgi.input_terminated': 'yes' as unknown as boolean }),
    good: (c) => c.serve(hello, { 'tsgi.input_terminated': true }),
  },
  {
    rule: 'environ.signal',
    bad: (c) => c.serve(hello, { 'tsgi.signal': { aborted: false } as AbortSignal }),
    good: (c) => c.serve(hello, { 'tsgi.signal': AbortSignal.abort() }),
  },
  {
    rule: 'environ.early-hints',
    bad: (c) => c.serve(hello, { 'tsgi.early_hints': 'yes' as never }),
    good: (c) => c.serve(hello, { 'tsgi.early_hints': async () => {} }),
  },
]
