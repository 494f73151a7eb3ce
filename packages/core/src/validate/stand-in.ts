/**
 * A checking Proxy over `original` whose `get` answers `wrap(key, value)`. A Proxy must return a
 * non-writable, non-configurable property's own value unchanged, so wrapping a method of a frozen
 * body or stream (or one made with `Object.defineProperty`'s defaults) would throw a TypeError; for
 * those the Proxy's target is a stand-in that owns nothing of the kind (an array keeps its
 * elements, so `Array.isArray` and indexing still work) and every read goes to the original.
 */
export function checkingProxy<T extends object>(
  original: T,
  wrap: (key: string | symbol, value: unknown) => unknown,
): T {
  const get = (key: string | symbol): unknown => wrap(key, Reflect.get(original, key, original))
  if (!hasFixedMethod(original)) return new Proxy(original, { get: (_target, key) => get(key) })
  const standIn = Array.isArray(original)
    ? Array.from(original)
    : Object.create(Object.getPrototypeOf(original))
  return new Proxy(standIn as T, {
    get: (_target, key) => get(key),
    has: (_target, key) => Reflect.has(original, key),
    getPrototypeOf: () => Reflect.getPrototypeOf(original),
  })
}

function hasFixedMethod(object: object): boolean {
  for (const key of Reflect.ownKeys(object)) {
    const descriptor = Reflect.getOwnPropertyDescriptor(object, key)
    if (
      descriptor &&
      !descriptor.configurable &&
      descriptor.writable === false &&
      typeof descriptor.value === 'function'
    )
      return true
  }
  return false
}
