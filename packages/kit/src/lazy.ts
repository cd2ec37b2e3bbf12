/** Factories of an object's properties, each given the object itself (to reach its siblings). */
export type Factories<T> = { [K in keyof T]: (self: T) => T[K] };

/**
 * An object whose properties are built on first read and kept: a request context declares its
 * ~15 services and ~20 DataLoaders, and a request pays only for the few it touches.
 */
export function lazyObject<T extends object, B extends object = object>(factories: Factories<T>, base?: B): T & B {
  const self = { ...base } as T & B;
  for (const key of Object.keys(factories) as (keyof T)[]) {
    Object.defineProperty(self, key, {
      configurable: true,
      enumerable: true,
      get() {
        const value = factories[key](self);
        Object.defineProperty(self, key, { value, enumerable: true, writable: true, configurable: true });
        return value;
      },
    });
  }
  return self;
}
