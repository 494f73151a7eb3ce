export { Broadcaster, type Subscriber } from './broadcaster.ts'
export { decodeUtf8, type FormFields, parseForm, parseFormLeniently, parseJsonObject } from './decode.ts'
export { defaultDbPath } from './default-db-path.ts'
export { type Entry, type EntryJson, entryToJson } from './entry.ts'
export { EntryStore, type NewEntry } from './entry-store.ts'
export {
  BadEncodingError,
  BodyTooLargeError,
  GuestbookError,
  MalformedJsonError,
  UnsupportedMediaTypeError,
} from './errors.ts'
export { EntryEventStream, type EventStreamOptions, formatEntryEvent } from './event-stream.ts'
export { clearFlashCookie, FLASH_COOKIE, readFlash, setFlashCookie } from './flash.ts'
export {
  type BodyRequest,
  type EventsReply,
  Guestbook,
  type GuestbookOptions,
  PAGE_SIZE,
} from './guestbook.ts'
export { escapeHtml, type HtmlValue, html, SafeHtml } from './html.ts'
export { LIVE_SCRIPT } from './live-script.ts'
export { MEDIA, requireMediaType } from './media-type.ts'
export { listenNodeHttp, type NativeServer } from './native-server.ts'
export { MAX_BODY_BYTES, readBody } from './read-body.ts'
export { type PageErrors, type PageModel, renderPage } from './render-page.ts'
export { emptyReply, htmlReply, jsonReply, type Reply, statusLine, textReply } from './reply.ts'
export { notFound, routeNotFound } from './route-not-found.ts'
export { STATIC_ASSETS, staticAsset } from './static-assets.ts'
export { STYLESHEET } from './stylesheet.ts'
export { type FieldErrors, LIMITS, type Validation, validateEntry } from './validate-entry.ts'
