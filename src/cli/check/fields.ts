// The config fields `check` knows, and a line for each unknown one with the field it was probably meant to be.
import { closestName } from '../../internal/suggest';
import type { CheckLine } from './report';

export const CONFIG_FIELDS = [
  'paymentMethodType',
  'paymentCurrencies',
  'settlementCurrency',
  'contractSettlementCurrency',
  'clientId',
  'sandbox',
  'region',
  'accelerated',
  'baseUrl',
  'privateKeyFile',
  'alipayPublicKeyFile',
  'merchantPublicKeyFile',
  'keyVersion',
  'integration',
  'payRequestFile',
] as const;

/** A pass line when every field is known, else a fail line per unknown field. */
export function fieldChecks(c: Record<string, unknown>): CheckLine[] {
  const lines: CheckLine[] = [];
  // A typo such as "privateKeyPath" would otherwise silently skip a check.
  const unknown = Object.keys(c).filter((k) => !(CONFIG_FIELDS as readonly string[]).includes(k));
  if (unknown.length === 0)
    lines.push({ id: 'config.fields', status: 'pass', title: 'config fields are known', detail: `${Object.keys(c).length} field(s)` });
  for (const k of unknown) {
    const guess = closestName(k, CONFIG_FIELDS);
    lines.push({
      id: `config.fields.${k}`,
      status: 'fail',
      title: `config field "${k}" is known`,
      detail: `"${k}" is not a config field → ${guess ? `did you mean "${guess}"?` : `remove it; fields are ${CONFIG_FIELDS.join(', ')}`}`,
    });
  }
  return lines;
}
