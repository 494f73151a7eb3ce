import type { Entry } from './entry.ts'

/** Receives each entry as it is stored. */
export type Subscriber = (entry: Entry) => void

/** In-process fan-out of new entries to server-sent-event streams. */
export class Broadcaster {
  #subscribers = new Set<Subscriber>()

  /** Adds a subscriber; the returned function removes it. */
  subscribe(subscriber: Subscriber): () => void {
    this.#subscribers.add(subscriber)
    return () => {
      this.#subscribers.delete(subscriber)
    }
  }

  /** Hands the entry to every current subscriber. */
  publish(entry: Entry): void {
    for (const subscriber of this.#subscribers) subscriber(entry)
  }

  /** How many streams are listening (tests check that closed streams unsubscribe). */
  get size(): number {
    return this.#subscribers.size
  }
}
