// The `ams-cashier/http` entry: the transport the client uses by default and its body cap, behind the root's
// transports (createNodeHttpTransport, createAxiosTransport, TransportFailure).
export { createDefaultTransport } from './default-transport';
export { DEFAULT_MAX_RESPONSE_BYTES } from './types';
export type { TransportFailureKind } from './types';
