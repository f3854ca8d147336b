// The merchants the gateway knows: the accepted option shapes, normalized to one loaded record per client id.
import type { KeyObject } from 'node:crypto';
import { loadPublicKey, type KeyInput } from '../src/signing/keys';
import type { GatewayOptions, MerchantConfig } from './types';

/** A merchant with its public key loaded. */
export interface Merchant {
  clientId: string;
  key: KeyObject;
  contractSettlementCurrency: string | undefined;
  integration: 'direct' | 'acquirer';
  agentTokens: readonly string[] | undefined;
}

/** The merchants of the options: the `merchants` list or record, then the one-merchant shortcut. */
export function normalizeMerchants(options: GatewayOptions): MerchantConfig[] {
  const list: MerchantConfig[] = [];
  const m = options.merchants;
  if (Array.isArray(m)) list.push(...(m as readonly MerchantConfig[]));
  else if (m) {
    for (const [clientId, value] of Object.entries(m as Record<string, KeyInput | Omit<MerchantConfig, 'clientId'>>)) {
      const isConfig = typeof value === 'object' && value !== null && 'merchantPublicKey' in value;
      list.push(isConfig ? { clientId, ...value } : { clientId, merchantPublicKey: value });
    }
  }
  if (options.clientId !== undefined || options.merchantPublicKey !== undefined) {
    if (options.clientId === undefined || options.merchantPublicKey === undefined) {
      throw new TypeError('Gateway options: clientId and merchantPublicKey go together');
    }
    list.push({
      clientId: options.clientId,
      merchantPublicKey: options.merchantPublicKey,
      contractSettlementCurrency: options.contractSettlementCurrency,
      ...(options.integration ? { integration: options.integration } : {}),
    });
  }
  return list;
}

/** Loads a merchant's public key; throws a TypeError for a missing client id. */
export function loadMerchant(merchant: MerchantConfig): Merchant {
  if (typeof merchant.clientId !== 'string' || merchant.clientId === '')
    throw new TypeError('merchant clientId must be a non-empty string');
  return {
    clientId: merchant.clientId,
    key: loadPublicKey(merchant.merchantPublicKey, 'merchantPublicKey'),
    contractSettlementCurrency: merchant.contractSettlementCurrency,
    integration: merchant.integration ?? 'direct',
    agentTokens: merchant.agentTokens,
  };
}
