// Bench rows for the pure-JS backend: jsrsasign against node:crypto, signing and verifying (reported, no target).
import { sink, throughputCase, type CaseResult } from './case';
import { root } from './dist';
import { CLIENT_ID, PAY_BODY, PAY_PATH, REQUEST_TIME, keyObjects } from './fixtures';
import { alternate, type Side } from './harness';
import { rawSignHeader, signRequestSide } from './signing';

export async function jsrsasignSign(): Promise<CaseResult> {
  const [a, b] = await alternate(
    signRequestSide('signRequest backend jsrsasign', keyObjects.merchantPrivate, 'jsrsasign'),
    signRequestSide('signRequest backend node', keyObjects.merchantPrivate, 'node'),
    { rounds: 5, warmupRounds: 1, plan: { kind: 'slice', ms: 400 } },
  );
  return throughputCase(
    'jsrsasign-sign',
    'jsrsasign backend: signRequest',
    'node:crypto backend: signRequest',
    null,
    a,
    b,
    'pure-JS RSA private-key operation; no target',
  );
}

export async function jsrsasignVerify(): Promise<CaseResult> {
  const header = rawSignHeader();
  const side = (backend: 'node' | 'jsrsasign'): Side => ({
    name: `verifySignature backend ${backend}`,
    run(n) {
      for (let i = 0; i < n; i++) {
        sink.value = root.verifySignature({
          path: PAY_PATH,
          clientId: CLIENT_ID,
          time: REQUEST_TIME,
          body: PAY_BODY,
          signature: header,
          publicKey: keyObjects.merchantPublic,
          cryptoBackend: backend,
        });
      }
    },
  });
  const [a, b] = await alternate(side('jsrsasign'), side('node'), {
    rounds: 5,
    warmupRounds: 1,
    plan: { kind: 'slice', ms: 300, batch: 5 },
  });
  return throughputCase(
    'jsrsasign-verify',
    'jsrsasign backend: verifySignature',
    'node:crypto backend: verifySignature',
    null,
    a,
    b,
    'public-key operation (e = 65537) in pure JS; no target',
  );
}
