// The `ams-cashier/signing` entry: the protocol primitives behind the root's signing names (which live in the root
// only): what a key is, the Signature header's format, the Request-Time, and where each API lives. It loads no zod.
export { describeKey, MIN_RSA_BITS } from './keys';
export type { KeyDescription } from './keys';
export { formatSignatureHeader, KEY_VERSION_RE } from './header';
export { formatRequestTime, parseRequestTime } from '../rules/time';
export { REGION_ORIGINS, ACCELERATED_ORIGINS, AMS_APIS, CUSTOMS_APIS } from '../api/endpoint';
