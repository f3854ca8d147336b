// Bench rows for signing: signRequest with each key form against raw crypto.sign on the same content.
import { sign as rawSign } from 'node:crypto';
import type { KeyInput } from '../src/signing/keys';
import { sink, throughputCase, type CaseResult } from './case';
import { root } from './dist';
import { CLIENT_ID, PAY_BODY, PAY_PATH, REQUEST_TIME, keyObjects, keys } from './fixtures';
import { alternate, type Side } from './harness';

/** The floor: what a hand-written client does per request with a key it parsed once. */
export function rawSignHeader(): string {
  const content = Buffer.from(`POST ${PAY_PATH}\n${CLIENT_ID}.${REQUEST_TIME}.${PAY_BODY}`, 'utf8');
  return `algorithm=RSA256,keyVersion=1,signature=${encodeURIComponent(rawSign('sha256', content, keyObjects.merchantPrivate).toString('base64'))}`;
}

const rawSignSide: Side = {
  name: 'raw crypto.sign (KeyObject)',
  run(n) {
    for (let i = 0; i < n; i++) sink.value = rawSignHeader();
  },
};

/** signRequest over the pay fixture, n times, with this key and backend. */
export function signRequestSide(name: string, privateKey: KeyInput, backend: 'node' | 'jsrsasign' = 'node'): Side {
  return {
    name,
    run(n) {
      for (let i = 0; i < n; i++)
        sink.value = root.signRequest({
          path: PAY_PATH,
          clientId: CLIENT_ID,
          requestTime: REQUEST_TIME,
          body: PAY_BODY,
          privateKey,
          cryptoBackend: backend,
        });
    },
  };
}

// Short rounds (~25 ms) and many of them: neighbours' bursts on a shared machine then hit both sides alike.
const SIGN_OPTIONS = { rounds: 41, warmupRounds: 3, plan: { kind: 'ops', ops: 30 } } as const;

export async function signKeyObject(): Promise<CaseResult> {
  const header = root.signRequest({
    path: PAY_PATH,
    clientId: CLIENT_ID,
    requestTime: REQUEST_TIME,
    body: PAY_BODY,
    privateKey: keyObjects.merchantPrivate,
  });
  if (header !== rawSignHeader()) {
    throw new Error('signRequest and the raw floor do not produce the same header: the comparison would be meaningless');
  }
  const [a, b] = await alternate(signRequestSide('signRequest (KeyObject)', keyObjects.merchantPrivate), rawSignSide, SIGN_OPTIONS);
  return throughputCase(
    'sign-keyobject',
    'signRequest, loaded KeyObject',
    'raw crypto.sign, same content',
    { kind: 'min', value: 0.95, unit: '× throughput' },
    a,
    b,
  );
}

export async function signPemString(): Promise<CaseResult> {
  const [a, b] = await alternate(signRequestSide('signRequest (PEM string each call)', keys.merchantPkcs8Pem), rawSignSide, SIGN_OPTIONS);
  return throughputCase(
    'sign-pem',
    'signRequest, PEM string every call',
    'raw crypto.sign, same content',
    { kind: 'min', value: 0.9, unit: '× throughput' },
    a,
    b,
  );
}

export async function signBase64String(): Promise<CaseResult> {
  const [a, b] = await alternate(
    signRequestSide('signRequest (bare base64 each call)', keys.merchantPkcs8Base64),
    rawSignSide,
    SIGN_OPTIONS,
  );
  return throughputCase(
    'sign-base64',
    'signRequest, bare-base64 string every call',
    'raw crypto.sign, same content',
    { kind: 'min', value: 0.9, unit: '× throughput' },
    a,
    b,
  );
}
