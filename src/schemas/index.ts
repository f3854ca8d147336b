// The `ams-cashier/schemas` entry: the zod schemas the client validates requests and responses with, and their value
// lists, for users who validate or generate AMS bodies themselves.
export { PayRequest as PayRequestSchema, PayResponse as PayResponseSchema } from './pay';
export { CASHIER_TERMINAL_TYPES, CASHIER_OS_TYPES } from './common';
