// The `ams-cashier/schemas` entry: the zod schemas the client validates requests and responses with, and their value
// lists, for users who validate or generate AMS bodies themselves.
import { PayRequest, PayResponse } from './pay';

// Built when this entry is imported (the root builds none): the very objects the client parses with.
/** The pay request (productCode CASHIER_PAYMENT) the client validates before sending. */
export const PayRequestSchema = /* @__PURE__ */ PayRequest();
/** The pay answer the client accepts once it is verified. */
export const PayResponseSchema = /* @__PURE__ */ PayResponse();
export { CASHIER_TERMINAL_TYPES, CASHIER_OS_TYPES } from './common';
