// The package side of a case, run alone under the sampling profiler when the case misses its target (or with --profile).
import { keyObjects, keys, payRequest } from './fixtures';
import { pool } from './harness';
import type { Loopback } from './loopback';
import { verifySide } from './notifications';
import { CONCURRENCY, loopbackClient, nextId } from './pay';
import { signRequestSide } from './signing';

export async function packageSideWorkload(id: string, lb: Loopback | undefined): Promise<(() => Promise<unknown>) | undefined> {
  switch (id) {
    case 'sign-keyobject':
      return async () => signRequestSide('', keyObjects.merchantPrivate).run(3000);
    case 'sign-pem':
      return async () => signRequestSide('', keys.merchantPkcs8Pem).run(3000);
    case 'sign-base64':
      return async () => signRequestSide('', keys.merchantPkcs8Base64).run(3000);
    case 'notify-verify':
      return async () => verifySide('', keys.alipayPublicBase64).run(5000);
    case 'notify-verify-keyobject':
      return async () => verifySide('', keyObjects.alipayPublic).run(5000);
    case 'pay-loopback':
      if (!lb) return undefined;
      return async () => {
        const client = loopbackClient(lb.origin);
        await pool(600, 1, () => client.pay(payRequest(nextId())));
      };
    case 'pay-concurrent':
      if (!lb) return undefined;
      return async () => {
        const client = loopbackClient(lb.origin);
        await pool(1500, CONCURRENCY, () => client.pay(payRequest(nextId())));
      };
    default:
      return undefined;
  }
}
