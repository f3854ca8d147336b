// Adversarial reproductions for cashierRedirect: the URL it hands back must be the one it checked, safe for a Location header.
import { describe, expect, it } from 'vitest';
import { cashierRedirect } from '../../src/rules/cashier-redirect';

describe('adversarial: cashierRedirect with a hostile normalUrl', () => {
  it.each([
    ['CR LF (header injection in a 302)', 'https://open.alipay.com/pay\r\nSet-Cookie: session=attacker'],
    ['a tab inside the scheme-checked URL', 'https://open.alipay.com/pay\tx'],
  ])('%s: url is the checked, serialized URL (as the form path returns), never the raw string', (_why, normalUrl) => {
    let r: ReturnType<typeof cashierRedirect> | undefined;
    try {
      r = cashierRedirect({ normalUrl });
    } catch {
      return; // refusing it is fine too
    }
    expect(r.url).toBe(new URL(normalUrl).href);
    expect(r.url).not.toMatch(/[\r\n\t]/);
  });
});
