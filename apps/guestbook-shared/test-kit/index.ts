export { apiTests, jsonPost } from './api-tests.ts'
export { describeGuestbook } from './describe-guestbook.ts'
export { describeGuestbookInBrowser } from './describe-guestbook-in-browser.ts'
export { type Context, formPost, formTests } from './form-tests.ts'
export {
  createFixture,
  type Fixture,
  type MakeApp,
  type Mode,
  modes,
  type Running,
  type StartNative,
  serveOverTcp,
} from './harness.ts'
export { injectTarget, type KitRequest, type KitResponse, type Target, tcpTarget } from './http-target.ts'
export { miscTests } from './misc-tests.ts'
export { openEventStream, type SseConnection } from './sse-client.ts'
export { type StreamContext, streamTests } from './stream-tests.ts'
export { tempDbPath } from './temp-db.ts'
