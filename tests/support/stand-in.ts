/**
 * A stand-in for an object a hook creates later: a test file can name it
 * at the top (`const { fake } = alpacaFixture()`) and use it in any test,
 * where it is the object the latest hook made.
 */

/**
 * An object that forwards every property read (and write) to what `current()` returns, methods bound to it;
 * using it before there is one throws `unset`.
 */
export function standIn<T extends object>(current: () => T | undefined, unset: string): T {
  const target = (): T => {
    const value = current();
    if (!value) throw new Error(unset);
    return value;
  };
  return new Proxy({} as T, {
    get(_, key) {
      const value = target();
      const found: unknown = Reflect.get(value, key, value);
      return typeof found === 'function' ? found.bind(value) : found;
    },
    set: (_, key, value) => Reflect.set(target(), key, value),
    has: (_, key) => Reflect.has(target(), key),
    ownKeys: () => Reflect.ownKeys(target()),
    getOwnPropertyDescriptor(_, key) {
      const descriptor = Reflect.getOwnPropertyDescriptor(target(), key);
      return descriptor && { ...descriptor, configurable: true };
    },
  });
}
