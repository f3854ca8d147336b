// Package-internal access to a client's call context (keys, transport), without making it a public property.
import type { CallContext } from '../api/call';

const contexts = new WeakMap<object, CallContext>();

export function registerContext(client: object, ctx: CallContext): void {
  contexts.set(client, ctx);
}

/** The call context of an AmsClient; for this package's own modules (notifications, mocks), not for users. */
export function contextOf(client: object): CallContext {
  const ctx = contexts.get(client);
  if (!ctx) throw new TypeError('expected an AmsClient');
  return ctx;
}
