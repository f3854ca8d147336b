// What a doctor inquiry that got no AMS answer means: which network step failed (DNS, connect, TLS, proxy, timeout) or
// what answered instead of Alipay, and what to check. Pure.
import { AmsTimeoutError, type AmsConnectionError, type AmsHttpError } from '../errors';
import { ACCELERATED_ORIGINS, REGION_ORIGINS, REGIONS } from '../api/endpoint';
import { check, type DoctorCheck, type DoctorInput } from './report';

/** The region whose gateway `host` is, when it is one of Antom's. */
function regionOfHost(host: string): string | undefined {
  return REGIONS.find((r) => [REGION_ORIGINS[r], ACCELERATED_ORIGINS[r]].some((o) => new URL(o).host === host));
}

/** Antom's gateways, for a message: "https://open-na.alipay.com (NA), …". */
const GATEWAYS = (): string => REGIONS.map((r) => `${REGION_ORIGINS[r]} (${r})`).join(', ');

/** The first `code` on an error's cause chain (node socket and TLS errors, axios errors). */
function causeCode(err: unknown): string | undefined {
  let e: unknown = err;
  for (let depth = 0; depth < 6 && e instanceof Error; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    e = e.cause;
  }
  return undefined;
}

const TLS_CODE = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER|ERR_TLS|ERR_SSL|EPROTO|HOSTNAME_MISMATCH/;

/** A request that got no HTTP answer: which step failed (DNS, connect, TLS, proxy, timeout) and what to check. */
export function networkFailure(input: DoctorInput, err: AmsConnectionError): DoctorCheck {
  const host = new URL(input.url).host;
  const code = causeCode(err);
  const via = input.proxy ? ` through the proxy ${input.proxy} (named by HTTPS_PROXY / HTTP_PROXY / ALL_PROXY)` : '';
  const proxyFix = input.proxy
    ? ` Check the proxy ${input.proxy} is up and lets CONNECT to ${host} through, or add ${host} to NO_PROXY.`
    : '';
  if (err instanceof AmsTimeoutError || code === 'ETIMEDOUT')
    return check(
      'network',
      false,
      `no answer from ${host}${via} within the timeout: the request was sent but nothing came back`,
      `Check that outbound HTTPS to ${host}:443 is allowed by your firewall or security group.${proxyFix}`,
    );
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EAI_NONAME')
    return check(
      'network',
      false,
      `DNS: ${input.proxy ? `the proxy's host in ${input.proxy}` : host} could not be resolved (${code})`,
      `Check the host name (${regionOfHost(host) ? `region ${regionOfHost(host)}` : 'your baseUrl'}) and that this machine's DNS resolver works (try: getent hosts ${host}).${proxyFix}`,
    );
  if (code === 'ECONNREFUSED')
    return check(
      'network',
      false,
      `connect: ${input.proxy ? `the proxy ${input.proxy}` : host} refused the connection (ECONNREFUSED): nothing listens on that port`,
      input.proxy
        ? proxyFix.trim()
        : `Check the port in baseUrl and that the gateway (or your egress proxy) is running; Alipay's gateways listen on 443.`,
    );
  if (code !== undefined && TLS_CODE.test(code))
    return check(
      'network',
      false,
      `TLS: the certificate of ${host}${via} was not accepted (${code})`,
      `Something between you and Alipay presents its own certificate (a TLS-inspecting proxy or firewall) or baseUrl points at a host with a self-signed or expired certificate. ` +
        `If your company inspects TLS, give Node its root CA with NODE_EXTRA_CA_CERTS=/path/to/ca.pem; never disable certificate checks.`,
    );
  if (code === 'ECONNRESET' || code === 'EPIPE' || code === 'ECONNABORTED')
    return check(
      'network',
      false,
      `connect: the connection to ${host}${via} was closed before an answer (${code})`,
      `A firewall or proxy may drop TLS to ${host}; check that outbound HTTPS to it is allowed.${proxyFix}`,
    );
  if (code === 'ENETUNREACH' || code === 'EHOSTUNREACH')
    return check(
      'network',
      false,
      `connect: ${host} is unreachable from this machine (${code})`,
      `Check the routing / egress rules of this machine for ${host}:443.${proxyFix}`,
    );
  return check('network', false, `${host}${via} could not be reached: ${err.message}`, `Check outbound HTTPS to ${host}.${proxyFix}`);
}

/** An HTTP answer that is not an AMS answer: a proxy asking for credentials, an HTML error page, a wrong baseUrl. */
export function notAmsAnswer(input: DoctorInput, err: AmsHttpError): DoctorCheck {
  const host = new URL(input.url).host;
  if (err.httpStatus === 407)
    return check(
      'network',
      false,
      `proxy: HTTP 407 — the proxy${input.proxy ? ` ${input.proxy}` : ''} wants credentials before it forwards anything to ${host}`,
      'Put the proxy credentials in the proxy URL (HTTPS_PROXY=http://user:password@proxy:port) or use a transport configured for your proxy.',
    );
  const contentType = input.response?.headers['content-type'] ?? 'no content-type';
  return check(
    'network',
    false,
    `${host} answered HTTP ${err.httpStatus} (${contentType}) with something that is not an AMS answer: ${err.message.replace(/^inquiryPayment: /, '')}`,
    input.proxy
      ? `The proxy ${input.proxy} or a firewall answered instead of Alipay: check its logs and that it lets ${host} through.`
      : `Check baseUrl / region: ${new URL(input.url).origin} must be an AMS gateway (${GATEWAYS()}), not a proxy path or a web page.`,
  );
}
