// The gateway's option names, checked by the package's one options validator: a misspelt option is refused with the
// name it was probably meant to be, never ignored (a gateway that silently runs without the fault you scripted lies).
import { z } from 'zod';
import { parseOptions } from '../src/options';
import type { GatewayOptions } from './types';

/** Every GatewayOptions key: `satisfies` fails the type build when the interface gains or loses one. */
const GATEWAY_OPTION_NAMES = {
  merchants: true,
  clientId: true,
  merchantPublicKey: true,
  contractSettlementCurrency: true,
  integration: true,
  alipayPrivateKey: true,
  faults: true,
  notifyRetryCompression: true,
  notifyRetrySchedule: true,
  notifyTimeoutMs: true,
  clock: true,
  fetch: true,
  region: true,
  cashierOrigin: true,
  maxHangMs: true,
  credentials: true,
  paymentPending: true,
  notificationRewrite: true,
  disputeTimeCompression: true,
} as const satisfies Record<keyof Required<GatewayOptions>, true>;

/**
 * Refuses an option name `owner` does not take (the gateway's, plus `extra`: the server's port, host, …). The values
 * are checked where they are used.
 */
export function checkGatewayOptionNames(options: object, owner: string, extra: readonly string[] = []): void {
  const names = [...Object.keys(GATEWAY_OPTION_NAMES), ...extra];
  parseOptions(z.object(Object.fromEntries(names.map((n) => [n, z.unknown().optional()]))).strict(), options, owner);
}
