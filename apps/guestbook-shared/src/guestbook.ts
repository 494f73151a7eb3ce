import type { HeaderList } from '@tsgi/core'
import { Broadcaster } from './broadcaster.ts'
import { parseForm, parseFormLeniently, parseJsonObject } from './decode.ts'
import { entryToJson } from './entry.ts'
import { EntryStore } from './entry-store.ts'
import { GuestbookError } from './errors.ts'
import { EntryEventStream } from './event-stream.ts'
import { clearFlashCookie, readFlash, setFlashCookie } from './flash.ts'
import { MEDIA, requireMediaType } from './media-type.ts'
import { OtherWriters } from './other-writers.ts'
import { readBody } from './read-body.ts'
import { type PageModel, renderPage } from './render-page.ts'
import { emptyReply, htmlReply, jsonReply, type Reply } from './reply.ts'
import { notFound, routeNotFound } from './route-not-found.ts'
import { staticAsset } from './static-assets.ts'
import { validateEntry } from './validate-entry.ts'

/** How a guestbook is opened. */
export interface GuestbookOptions {
  /** The SQLite file (created if missing); `':memory:'` for a throwaway one. */
  dbPath: string
  /** The clock, for tests. */
  now?: () => number
  /** SSE heartbeat interval; 0 disables. */
  heartbeatMs?: number
  /** How often to look for entries other processes stored (`--workers N`). Default 500. */
  pollMs?: number
}

/** What a handler needs from a request with a body: two headers and the bytes. */
export interface BodyRequest {
  contentType: string | undefined
  contentLength: string | undefined
  body: AsyncIterable<Uint8Array> | null | undefined
}

/** A streaming reply for `GET /events`. */
export interface EventsReply {
  status: 200
  headers: HeaderList
  stream: EntryEventStream
}

/** How many entries the page and the list API show. */
export const PAGE_SIZE = 100

const ID = /^[1-9][0-9]{0,14}$/

const EVENT_STREAM_HEADERS: HeaderList = [
  ['Content-Type', 'text/event-stream; charset=utf-8'],
  ['Cache-Control', 'no-store'],
  // Tells buffering reverse proxies (nginx) to pass each event through at once.
  ['X-Accel-Buffering', 'no'],
]

/**
 * The whole guestbook behind framework-neutral handlers: each framework app routes a request
 * to one method and copies the returned {@link Reply} onto its response, so all four answer
 * byte for byte alike.
 */
export class Guestbook {
  readonly store: EntryStore
  readonly broadcaster = new Broadcaster()
  #heartbeatMs: number | undefined
  #otherWriters: OtherWriters

  constructor(options: GuestbookOptions) {
    this.store = new EntryStore(options.dbPath, options.now)
    this.#heartbeatMs = options.heartbeatMs
    this.#otherWriters = new OtherWriters(this.store, this.broadcaster, options.pollMs ?? 500)
  }

  #page(status: number, model: Omit<PageModel, 'entries'>, headers: HeaderList = []): Reply {
    return htmlReply(status, renderPage({ ...model, entries: this.store.newest(PAGE_SIZE) }), headers)
  }

  /** `GET /`: the page, with the flash notice shown once and its cookie cleared. */
  page(cookieHeader: string | undefined): Reply {
    const flash = readFlash(cookieHeader)
    return this.#page(200, { flash }, flash === undefined ? [] : [['Set-Cookie', clearFlashCookie()]])
  }

  /** `POST /entries`: store a form submission and redirect (303), or show the form again (4xx). */
  async submitForm(request: BodyRequest): Promise<Reply> {
    let bytes: Uint8Array = new Uint8Array(0)
    try {
      requireMediaType(request.contentType, MEDIA.form)
      bytes = await readBody(request.body, request.contentLength)
      const fields = parseForm(bytes)
      const result = validateEntry(fields)
      if (!result.ok) return this.#page(400, { values: fields, errors: result.errors })
      const entry = this.#add(result.entry)
      const flash = `Thanks, ${entry.name}! Your entry was added.`
      return emptyReply(303, [
        ['Location', '/'],
        ['Set-Cookie', setFlashCookie(flash)],
      ])
    } catch (error) {
      if (!(error instanceof GuestbookError)) throw error
      return this.#page(error.status, { values: parseFormLeniently(bytes), errors: { form: error.message } })
    }
  }

  /** `GET /api/entries`: the newest entries, newest first. */
  listEntries(): Reply {
    return jsonReply(200, this.store.newest(PAGE_SIZE).map(entryToJson))
  }

  /** `POST /api/entries`: store a JSON `{ name, message }` (201), or a JSON error (4xx). */
  async createEntry(request: BodyRequest): Promise<Reply> {
    try {
      requireMediaType(request.contentType, MEDIA.json)
      const fields = parseJsonObject(await readBody(request.body, request.contentLength))
      const result = validateEntry(fields)
      if (!result.ok) {
        return jsonReply(400, {
          error: { code: 'invalid_entry', message: 'The entry is not valid.', fields: result.errors },
        })
      }
      const entry = this.#add(result.entry)
      return jsonReply(201, entryToJson(entry), [['Location', `/api/entries/${entry.id}`]])
    } catch (error) {
      if (!(error instanceof GuestbookError)) throw error
      return jsonReply(error.status, { error: { code: error.code, message: error.message } })
    }
  }

  /** `GET /api/entries/:id`: one entry, or a JSON 404. */
  showEntry(id: string): Reply {
    const entry = ID.test(id) ? this.store.get(Number(id)) : undefined
    if (entry) return jsonReply(200, entryToJson(entry))
    return jsonReply(404, { error: { code: 'not_found', message: `No entry with id ${id}.` } })
  }

  /** `GET /static/:file`: the stylesheet and the page script, cacheable; a 404 page otherwise. */
  staticFile(file: string, ifNoneMatch: string | undefined): Reply {
    return staticAsset(file, ifNoneMatch) ?? notFound(false)
  }

  /** `GET /events`: new entries as server-sent events, ending when `signal` aborts. */
  events(signal: AbortSignal | undefined, lastEventId?: string): EventsReply {
    const replay = lastEventId && ID.test(lastEventId) ? this.store.after(Number(lastEventId), PAGE_SIZE) : []
    return {
      status: 200,
      headers: [...EVENT_STREAM_HEADERS],
      stream: new EntryEventStream(this.broadcaster, { signal, replay, heartbeatMs: this.#heartbeatMs }),
    }
  }

  /** `HEAD /events`: the stream's headers without opening a stream. */
  eventsHead(): Reply {
    return { status: 200, headers: [...EVENT_STREAM_HEADERS], body: new Uint8Array(0) }
  }

  /** Anything no route matched: 405 with `Allow` on a known path, else 404. */
  notFound(method: string, path: string): Reply {
    return routeNotFound(method, path)
  }

  #add(entry: { name: string; message: string }): ReturnType<EntryStore['add']> {
    const stored = this.store.add(entry)
    this.#otherWriters.stored(stored)
    this.broadcaster.publish(stored)
    return stored
  }

  /** Closes the database. Open event streams are left to their own signals. */
  close(): void {
    this.#otherWriters.stop()
    this.store.close()
  }
}
