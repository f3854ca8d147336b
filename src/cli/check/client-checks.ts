// `check`'s client lines: the client id is well formed, sandbox agrees with its SANDBOX_ prefix, and the region or
// baseUrl names one gateway.
import { REGIONS, apiPath, originOf, regionOrigin } from '../../api/endpoint';
import { OPTION } from '../../options';
import { showValue } from '../../rules/show';
import { AmsConfigError } from '../../errors';
import type { CheckLine } from './report';

/** The client id, sandbox and region / baseUrl lines. */
export function clientChecks(c: Record<string, unknown>): CheckLine[] {
  const lines: CheckLine[] = [];
  const clientId = c.clientId;
  let sandbox: boolean | undefined;
  if (clientId === undefined) {
    lines.push({ id: 'client.id', status: 'skip', title: 'clientId', detail: 'no clientId given' });
  } else if (typeof clientId !== 'string' || !OPTION.clientId.safeParse(clientId).success) {
    // YAML reads unquoted digits as a number (and may round a long one): say so, since the fix is quoting.
    const detail =
      typeof clientId === 'number'
        ? `clientId is the number ${clientId}, not text → quote it ("…") so it is read exactly as in the Antom dashboard`
        : `clientId ${showValue(clientId, 40)} is not a client id (printable ASCII, no spaces, at most 128 characters) → copy the Client ID from the Antom dashboard`;
    lines.push({ id: 'client.id', status: 'fail', title: 'clientId is well formed', detail });
  } else {
    const prefixed = clientId.startsWith('SANDBOX_');
    if (!prefixed && /^sandbox_/i.test(clientId)) {
      lines.push({
        id: 'client.id',
        status: 'fail',
        title: 'clientId is well formed',
        detail: `clientId starts with "${clientId.slice(0, 8)}" → the sandbox prefix is upper-case SANDBOX_; the SDKs only switch to the sandbox path for that spelling`,
      });
    } else
      lines.push({
        id: 'client.id',
        status: 'pass',
        title: 'clientId is well formed',
        detail: prefixed ? 'sandbox client id (SANDBOX_ prefix)' : 'production client id',
      });
    if (c.sandbox !== undefined && typeof c.sandbox !== 'boolean') {
      lines.push({
        id: 'client.sandbox',
        status: 'fail',
        title: 'sandbox matches the clientId',
        detail: 'sandbox must be true or false → or leave it out: it follows the SANDBOX_ prefix',
      });
    } else if (c.sandbox !== undefined && c.sandbox !== prefixed) {
      lines.push({
        id: 'client.sandbox',
        status: 'fail',
        title: 'sandbox matches the clientId',
        detail: `sandbox is ${String(c.sandbox)} but the clientId ${prefixed ? 'has' : 'does not have'} the SANDBOX_ prefix → sandbox and live have different client ids and keys: ${prefixed ? 'use your live client id, or set sandbox to true' : 'use your SANDBOX_ client id, or set sandbox to false'}`,
      });
    } else {
      sandbox = prefixed;
      lines.push({
        id: 'client.sandbox',
        status: 'pass',
        title: 'sandbox matches the clientId',
        detail: `${prefixed ? 'sandbox' : 'production'}: requests are signed and sent to ${apiPath('pay', prefixed)}`,
      });
    }
  }
  const region = c.region;
  const baseUrl = c.baseUrl;
  let origin: string | undefined;
  let endpointProblem: string | undefined;
  const accelerated = c.accelerated;
  if (region !== undefined && (typeof region !== 'string' || regionOrigin(region) === undefined)) {
    const upper = typeof region === 'string' ? region.trim().toUpperCase() : '';
    endpointProblem = `region ${JSON.stringify(region)} is not ${REGIONS.join(', ')}${regionOrigin(upper) !== undefined ? ` → did you mean "${upper}"?` : ' → use NA (open-na.alipay.com), SEA (open-sea.alipay.com) or EU (open-de-global.alipay.com), as in your Antom dashboard'}`;
  }
  if (accelerated !== undefined && typeof accelerated !== 'boolean')
    endpointProblem = `accelerated ${JSON.stringify(accelerated)} is not true or false → true picks the region's accelerated domain`;
  if (baseUrl !== undefined) {
    try {
      origin = originOf(String(baseUrl));
      const { protocol, hostname } = new URL(origin);
      // Plain HTTP is for a gateway on this machine; anywhere else every request and answer can be read on the way,
      // and an unsigned failure answer forged.
      if (protocol === 'http:' && !/^(localhost|127(\.\d{1,3}){3}|\[::1\])$/.test(hostname))
        endpointProblem = `baseUrl ${origin} is plain http to a host that is not this machine → use https (http is only for a local gateway)`;
    } catch (err) {
      if (!(err instanceof AmsConfigError)) throw err;
      endpointProblem = `${err.message} → give only the origin, such as https://proxy.example:8443`;
    }
  }
  if (!endpointProblem && origin === undefined && typeof region === 'string') origin = regionOrigin(region, accelerated === true);
  if (endpointProblem) lines.push({ id: 'client.region', status: 'fail', title: 'region / baseUrl', detail: endpointProblem });
  else if (origin === undefined) {
    if (clientId !== undefined)
      lines.push({
        id: 'client.region',
        status: 'fail',
        title: 'region / baseUrl',
        detail: `neither region nor baseUrl is given → set region to ${REGIONS.join(', ')}, as shown for your account in the Antom dashboard`,
      });
  } else {
    const conflict =
      region !== undefined &&
      baseUrl !== undefined &&
      /\.alipay\.com\.?$/.test(new URL(origin).hostname) &&
      // The host as DNS reads it: a trailing dot names the same host.
      origin.replace(/\.(?=:|$)/, '') !== regionOrigin(String(region)) &&
      origin.replace(/\.(?=:|$)/, '') !== regionOrigin(String(region), true) &&
      !new URL(origin).hostname.includes(`-${String(region).toLowerCase()}`);
    lines.push(
      conflict
        ? {
            id: 'client.region',
            status: 'fail',
            title: 'region / baseUrl',
            detail: `baseUrl ${origin} is an Alipay gateway of another region than ${String(region)} → keep one of them`,
          }
        : {
            id: 'client.region',
            status: 'pass',
            title: 'region / baseUrl',
            detail: `pay goes to ${origin}${apiPath('pay', sandbox === true)}`,
          },
    );
  }
  return lines;
}
