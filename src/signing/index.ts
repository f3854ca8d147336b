// The `ams-cashier/signing` entry: the protocol primitives for those who build and sign requests themselves (ISVs,
// gateways, tests): keys, the signed content, the Signature header, the Request-Time, and where each API lives.
export { loadPrivateKey, loadPublicKey, describeKey, MIN_RSA_BITS } from './keys';
export type { KeyInput, KeyDescription } from './keys';
export { buildSignContent } from './content';
export type { SignContentInput } from './content';
export { parseSignatureHeader, formatSignatureHeader, KEY_VERSION_RE } from './header';
export type { ParsedSignatureHeader } from './header';
export { signRequest, verifySignature } from './sign';
export type { SignRequestInput, VerifySignatureInput } from './sign';
export type { CryptoBackendName } from './backend';
export { formatRequestTime, parseRequestTime, formatIsoWithOffset } from '../rules/time';
export { resolveEndpoint, REGION_ORIGINS, AMS_APIS, CUSTOMS_APIS } from '../api/endpoint';
export type { Region, EndpointOptions, AmsApi } from '../api/endpoint';
