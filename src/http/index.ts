// The `ams-cashier/http` entry: the transports and the HTTP seam, for users who inject their own transport.
export { createDefaultTransport } from './default-transport';
export { createNodeHttpTransport } from './node-transport';
export type { NodeHttpTransportOptions } from './node-transport';
export { createAxiosTransport } from './axios-transport';
export type { AxiosTransportOptions } from './axios-transport';
export { TransportFailure, DEFAULT_MAX_RESPONSE_BYTES } from './types';
export type { Transport, HttpRequest, HttpResponse, TransportFailureKind } from './types';
