// Adversarial reproductions for `ams-cashier check`: a config the client cannot use, or one that sends to Alipay in the clear, must not be "OK".
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkConfig, summarize } from '../../src/cli/check';
import { AmsClient } from '../../src/index';
import { KEYS } from './helpers';

const read = (path: string) => {
  try {
    return { bytes: readFileSync(join(KEYS, path)) };
  } catch (err) {
    return { error: (err as Error).message };
  }
};

const base = {
  paymentMethodType: 'ALIPAY_CN',
  contractSettlementCurrency: 'USD',
  paymentCurrencies: ['USD'],
  settlementCurrency: 'USD',
  region: 'NA',
  privateKeyFile: 'merchant_private_pkcs8.pem',
  alipayPublicKeyFile: 'alipay_public.base64.txt',
  keyVersion: '1',
};

const verdict = (config: Record<string, unknown>) => summarize('adversarial.json', checkConfig(config, read));

describe('adversarial: check', () => {
  it.each([
    ['a zero-width space copied with the id', 'SANDBOX_5Y055A2Y2F6K05235\u200b'],
    ['the docs’ truncated id with an ellipsis', 'SANDBOX_5Y0…'],
  ])('a clientId AmsClient refuses (%s) is not "well formed"', (_why, clientId) => {
    const client = () =>
      new AmsClient({
        clientId,
        privateKey: readFileSync(join(KEYS, 'merchant_private_pkcs8.pem'), 'utf8'),
        alipayPublicKey: readFileSync(join(KEYS, 'alipay_public.base64.txt'), 'utf8'),
        region: 'NA',
      });
    expect(client).toThrow(/clientId/);
    const report = verdict({ ...base, clientId });
    expect(report.checks.find((c) => c.id === 'client.id')?.status).toBe('fail');
    expect(report.ok).toBe(false);
  });

  it('a plain-http baseUrl to Alipay’s own host (unsigned failures readable and forgeable on the way) is not OK', () => {
    const report = verdict({ ...base, clientId: 'SANDBOX_5Y055A2Y2F6K05235', region: undefined, baseUrl: 'http://open-na.alipay.com' });
    expect(report.checks.find((c) => c.id === 'client.region')?.status).not.toBe('pass');
    expect(report.ok).toBe(false);
  });
});
