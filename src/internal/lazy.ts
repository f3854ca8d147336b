// Values built on first use, so importing the package does no work: a schema nobody parses with is never built.

/**
 * Returns a function that builds the value on its first call and returns that very value on every later call (a
 * schema is the same object everywhere, so the compiled parse cached for it is found again). Calls are pure.
 */
export /* @__NO_SIDE_EFFECTS__ */ function lazy<T>(build: () => T): () => T {
  let built = false;
  let value: T;
  return () => {
    if (!built) {
      value = build();
      built = true;
    }
    return value;
  };
}

/**
 * An object whose every field is built on its first read and is the same value on every read after (the option
 * schemas several options objects share). Reading a field is a plain property read once it is built.
 */
export /* @__NO_SIDE_EFFECTS__ */ function lazyFields<T extends Record<string, unknown>>(builders: {
  [K in keyof T]: () => T[K];
}): Readonly<T> {
  const out = {} as T;
  for (const key of Object.keys(builders) as Array<keyof T>) {
    Object.defineProperty(out, key, {
      enumerable: true,
      configurable: true,
      get() {
        const value = builders[key]();
        Object.defineProperty(out, key, { value, enumerable: true, writable: false, configurable: false });
        return value;
      },
    });
  }
  return out;
}
