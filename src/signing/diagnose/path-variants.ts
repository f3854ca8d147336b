// One-step changes to the path that explain a signature over another path: origin, query, slashes, sandbox, proxy prefixes.
import { change, type Variant } from './types';

/** Mount points proxies and frameworks commonly add in front of a notify route or an API path. */
const PROXY_PREFIXES = [
  '/alipay',
  '/antom',
  '/api',
  '/api/v1',
  '/v1',
  '/app',
  '/backend',
  '/server',
  '/service',
  '/gateway',
  '/webhook',
  '/webhooks',
  '/callback',
  '/notify',
  '/payment',
  '/payments',
  '/pay',
];

export function pathSteps(path: string): Variant<string>[] {
  const out: Variant<string>[] = [];
  const push = (value: string, id: string, variant: string, cause: string) => {
    if (value !== path && value !== '') out.push({ value, changes: [change('path', id, variant, cause)] });
  };
  if (/^https?:\/\//i.test(path)) {
    try {
      const u = new URL(path);
      push(
        u.pathname,
        'origin-removed',
        `the path ${u.pathname} without scheme and host`,
        'Only the path is signed, not the scheme and host: sign and verify /ams/…, not the full URL.',
      );
    } catch {
      /* not a URL after all */
    }
  }
  if (/[?#]/.test(path))
    push(
      path.replace(/[?#].*$/, ''),
      'query-removed',
      'the path without its query string',
      'The signed path has no query string: AMS APIs take none.',
    );
  if (!path.startsWith('/') && !/^https?:/i.test(path))
    push(`/${path}`, 'leading-slash-added', 'the path with a leading "/"', 'The signed path starts with "/".');
  if (path.length > 1 && path.endsWith('/'))
    push(path.slice(0, -1), 'trailing-slash-removed', 'the path without its trailing "/"', 'The signed path has no trailing "/".');
  if (path.includes('/ams/sandbox/api'))
    push(
      path.replace('/ams/sandbox/api', '/ams/api'),
      'sandbox-removed',
      `the production path ${path.replace('/ams/sandbox/api', '/ams/api')}`,
      'What was signed is the production path (/ams/api), the path you have is the sandbox one: sandbox client ids (SANDBOX_) sign and send /ams/sandbox/api; sign the path you send.',
    );
  else if (path.includes('/ams/api'))
    push(
      path.replace('/ams/api', '/ams/sandbox/api'),
      'sandbox-added',
      `the sandbox path ${path.replace('/ams/api', '/ams/sandbox/api')}`,
      'What was signed is the sandbox path (/ams/sandbox/api), the path you have is the production one: the official SDKs rewrite /ams/api to /ams/sandbox/api for SANDBOX_ client ids before signing; use the same path for signing, sending and verifying.',
    );
  if (path.startsWith('/') && !/[?#]/.test(path)) {
    const segments = path.split('/').slice(1);
    // A prefix a proxy or a framework mount point added on the way: the signed path is a tail of the one you have.
    for (let k = 1; k < segments.length && k <= 3; k++) {
      const prefix = `/${segments.slice(0, k).join('/')}`;
      push(
        `/${segments.slice(k).join('/')}`,
        'prefix-removed',
        `the path without the prefix ${prefix}`,
        `The path you have carries a prefix (${prefix}) that was not signed: a proxy or framework mount point added it. ` +
          'Verify with the path the sender signed: for a notification the path of the paymentNotifyUrl you gave AMS, for a response the AMS path (/ams/…).',
      );
    }
    // A prefix a proxy stripped before your code saw the request: the signed path is longer than the one you have.
    for (const prefix of PROXY_PREFIXES) {
      if (path.startsWith(`${prefix}/`)) continue;
      push(
        `${prefix}${path}`,
        'prefix-added',
        `the path with the prefix ${prefix}`,
        `What was signed carries a prefix (${prefix}) that the path you have lacks: a proxy or framework mount point stripped it before your code saw the request. ` +
          'Verify with the full path of the URL the sender called (for a notification, the path of your paymentNotifyUrl).',
      );
    }
  }
  return out;
}
