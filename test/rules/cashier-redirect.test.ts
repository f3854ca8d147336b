// cashierRedirect: the guide's "GET to redirectUrl with every parameter in an HTML form", as a URL and a self-submitting page.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { AmsValidationError, cashierRedirect } from '../../src/index';
import { thrown } from '../helpers/expect';

const answer = JSON.parse(readFileSync(new URL('../fixtures/pay-response.payment-in-process.json', import.meta.url), 'utf8'));
const params = JSON.parse(answer.redirectActionForm.parameters) as Record<string, string | number>;

/** The hidden inputs of a generated page, decoded. */
function fields(html: string): Array<[string, string]> {
  const unescape = (s: string) =>
    s
      .replace(/&quot;/g, '"')
      .replace(/&#39;/g, "'")
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&amp;/g, '&');
  return [...html.matchAll(/<input type="hidden" name="([^"]*)" value="([^"]*)">/g)].map((m) => [unescape(m[1]!), unescape(m[2]!)]);
}

describe('cashierRedirect', () => {
  it("the guide's sample answer: a GET URL carrying every parameter, and a form with every parameter", () => {
    const r = cashierRedirect(answer);
    expect(r.method).toBe('GET');
    const url = new URL(r.url!);
    expect(url.origin + url.pathname).toBe('https://iopensandbox.alipay.com/alipaycn/pc/cashier');
    for (const [k, v] of Object.entries(params)) expect(url.searchParams.get(k)).toBe(String(v));
    expect(url.searchParams.get('callback')).toBe('https://www.taobao.com?param1=sl');
    expect(r.html).toContain('method="get" action="https://iopensandbox.alipay.com/alipaycn/pc/cashier"');
    expect(Object.fromEntries(fields(r.html))).toEqual(Object.fromEntries(Object.entries(params).map(([k, v]) => [k, String(v)])));
    expect(r.html).toContain("<script>HTMLFormElement.prototype.submit.call(document.getElementById('ams-cashier-redirect'));</script>");
  });

  it('takes the redirectActionForm alone, parameters as a string or an object, with the same result', () => {
    const fromForm = cashierRedirect(answer.redirectActionForm);
    expect(fromForm).toEqual(cashierRedirect(answer));
    expect(cashierRedirect({ ...answer.redirectActionForm, parameters: params })).toEqual(fromForm);
  });

  it("keeps redirectUrl's own query: appended to in the URL, carried as fields in the GET form (a GET form drops the action's query)", () => {
    const r = cashierRedirect({
      method: 'GET',
      redirectUrl: 'https://cashier.example/pay?channel=web&x=1',
      parameters: '{"paymentId":"p-1","x":"2"}',
    });
    expect(r.url).toBe('https://cashier.example/pay?channel=web&x=1&paymentId=p-1&x=2');
    expect(r.html).toContain('action="https://cashier.example/pay"');
    expect(fields(r.html)).toEqual([
      ['channel', 'web'],
      ['x', '1'],
      ['paymentId', 'p-1'],
      ['x', '2'],
    ]);
  });

  it('POST: no url, a POST form to redirectUrl as given', () => {
    const r = cashierRedirect({
      method: 'post',
      redirectUrl: 'https://cashier.example/pay?session=s1',
      parameters: { a: 1, b: { c: true } },
    });
    expect(r).toMatchObject({ method: 'POST' });
    expect(r.url).toBeUndefined();
    expect(r.html).toContain('method="post" action="https://cashier.example/pay?session=s1"');
    expect(fields(r.html)).toEqual([
      ['a', '1'],
      ['b', '{"c":true}'],
    ]);
  });

  it('escapes every value: a parameter cannot break out of the page', () => {
    const hostile = '"><script>alert(1)</script><input value=\'';
    const r = cashierRedirect({ redirectUrl: 'https://cashier.example/pay', parameters: { [hostile]: hostile } });
    expect(r.html).not.toContain('<script>alert');
    expect(fields(r.html)).toEqual([[hostile, hostile]]);
    expect(cashierRedirect({ redirectUrl: 'https://c.example/' }, { nonce: 'n"1' }).html).toContain('<script nonce="n&quot;1">');
  });

  it('without a form, falls back to normalUrl', () => {
    const r = cashierRedirect({ normalUrl: 'https://cashier.example/h5?paymentId=p-9&amount=100' });
    expect(r).toMatchObject({ method: 'GET', url: 'https://cashier.example/h5?paymentId=p-9&amount=100' });
    expect(r.html).toContain('action="https://cashier.example/h5"');
    expect(fields(r.html)).toEqual([
      ['paymentId', 'p-9'],
      ['amount', '100'],
    ]);
  });

  it('accepts plain http only on loopback (a local gateway)', () => {
    expect(cashierRedirect({ redirectUrl: 'http://127.0.0.1:4010/cashier', parameters: '{}' }).url).toBe('http://127.0.0.1:4010/cashier');
    expect(cashierRedirect({ redirectUrl: 'http://localhost:4010/cashier' }).method).toBe('GET');
    const e = thrown(AmsValidationError, () => cashierRedirect({ redirectUrl: 'http://cashier.example/pay' }));
    expect(e.issues[0]).toMatchObject({ field: 'redirectUrl', code: 'insecure_url' });
  });

  it('bad input: every problem named by its field', () => {
    const e = thrown(AmsValidationError, () =>
      cashierRedirect({ redirectActionForm: { method: 'PUT', redirectUrl: 'not a url', parameters: '[1,2]' } }),
    );
    expect(e.fields).toEqual(['redirectActionForm.method', 'redirectActionForm.redirectUrl', 'redirectActionForm.parameters']);
    expect(
      thrown(AmsValidationError, () => cashierRedirect({ redirectUrl: 'https://c.example', parameters: '{oops' })).issues[0]!.code,
    ).toBe('invalid_json');
    expect(thrown(AmsValidationError, () => cashierRedirect({})).fields).toEqual(['redirectActionForm']);
    expect(thrown(AmsValidationError, () => cashierRedirect(null as never)).fields).toEqual(['answer']);
  });

  it("submits through the prototype, so parameters named submit, action or method cannot hide the form's own submit", () => {
    for (const method of ['GET', 'POST'] as const) {
      const r = cashierRedirect({
        method,
        redirectUrl: 'https://cashier.example/pay',
        parameters: { submit: 'yes', action: 'pay', method: 'card', id: 'x' },
      });
      expect(fields(r.html)).toEqual([
        ['submit', 'yes'],
        ['action', 'pay'],
        ['method', 'card'],
        ['id', 'x'],
      ]);
      // `form.submit()` would be the input named "submit" here; the script never calls a property of the form.
      const script = /<script>([^<]*)<\/script>/.exec(r.html)![1]!;
      expect(script).toBe("HTMLFormElement.prototype.submit.call(document.getElementById('ams-cashier-redirect'));");
      expect(script).not.toMatch(/\)\.submit\(/);
      expect(r.html).toContain(`<form id="ams-cashier-redirect" method="${method.toLowerCase()}" action="https://cashier.example/pay">`);
    }
  });
});
