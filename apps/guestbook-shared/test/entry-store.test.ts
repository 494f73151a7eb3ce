import { afterEach, describe, expect, it } from 'vitest'
import { EntryStore } from '../src/index.ts'

describe('EntryStore', () => {
  let store: EntryStore
  afterEach(() => store.close())

  it('stores entries with increasing ids and lists them newest first', () => {
    let now = 1000
    store = new EntryStore(':memory:', () => now++)
    const first = store.add({ name: 'a', message: 'one' })
    const second = store.add({ name: 'b', message: 'two' })
    expect(first).toEqual({ id: 1, name: 'a', message: 'one', createdAt: 1000 })
    expect(store.newest(10).map((e) => e.id)).toEqual([2, 1])
    expect(store.newest(1)).toEqual([second])
    expect(store.get(2)).toEqual(second)
    expect(store.get(3)).toBeUndefined()
    expect(store.lastId()).toBe(2)
  })

  it('lists entries after an id oldest first, all or only the newest few', () => {
    store = new EntryStore(':memory:')
    for (const message of ['1', '2', '3', '4']) store.add({ name: 'n', message })
    expect(store.after(1).map((e) => e.id)).toEqual([2, 3, 4])
    expect(store.after(1, 2).map((e) => e.id)).toEqual([3, 4])
    expect(store.after(4)).toEqual([])
  })
})
