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
    set: (_target, key, value) => Reflect.set(original, key, value),
    deleteProperty: (_target, key) => Reflect.deleteProperty(original, key),
    ownKeys: (target) => [...new Set([...Reflect.ownKeys(original), ...fixedKeys(target)])],
    getOwnPropertyDescriptor: (target, key) => {
      // A Proxy may call a property non-configurable only as its target has it (an array's
      // length); the original's fixed properties otherwise read as configurable.
      const own = Reflect.getOwnPropertyDescriptor(target, key)
      if (own?.configurable === false) return own
      const descriptor = Reflect.getOwnPropertyDescriptor(original, key)
      return descriptor === undefined ? undefined : { ...descriptor, configurable: true }
    },
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

/** The stand-in's own non-configurable keys (an array's `length`), which `ownKeys` must list. */
function fixedKeys(target: object): Array<string | symbol> {
  return Reflect.ownKeys(target).filter(
    (key) => Reflect.getOwnPropertyDescriptor(target, key)?.configurable === false,
  )
}
