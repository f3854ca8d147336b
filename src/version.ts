// The package version and the default User-Agent every request carries, read from package.json at build time.
import { version } from '../package.json';

/** This package's version, as published. */
export const VERSION: string = version;

/** `ams-cashier/<version> node/<version>`, as the official SDKs and Stripe's identify themselves; `userAgent` overrides it. */
export function defaultUserAgent(nodeVersion: string = process.versions.node): string {
  return `ams-cashier/${VERSION} node/${nodeVersion}`;
}
