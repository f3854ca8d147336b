// What one read-only inquiry says about a client's credentials: the answer (or the failure) in, the checks out. Pure.
import { parseRequestTime } from '../rules/time';
import { createPublicKey, type KeyObject } from 'node:crypto';
import { diagnoseSignature } from '../signing/diagnose';
import { AmsApiError, AmsConnectionError, AmsHttpError, AmsSignatureError, AmsUnknownResultError } from '../errors';
import type { HttpResponse } from '../http/types';
import { networkFailure, notAmsAnswer } from './no-answer';
import { check, type DoctorCheck, type DoctorInput, type DoctorReport } from './report';
import { publicKeyFingerprint } from '../signing/keys';

const envName = (sandbox: boolean): string => (sandbox ? 'sandbox' : 'live');
const dashboardTab = (sandbox: boolean): string =>
  `the Integration Settings page of the Antom dashboard (${sandbox ? 'Sandbox' : 'Live'} tab)`;

/** The configured Alipay public key is the merchant's own: found offline (CLI) or from an answer that did not verify. */
export function ownKeyAsAlipayCheck(sandbox: boolean, after = ''): DoctorCheck {
  return check(
    'alipay-public-key',
    false,
    `the Alipay public key configured is your own public key (the public half of your private key): Alipay's answers can never verify with it.${after}`,
    `Download "Alipay public key" from ${dashboardTab(sandbox)}: your own public key is the one you upload, never the one you verify with.`,
  );
}

/** The facts of the merchant key that are safe to print: size, fingerprint and the public half to upload. */
export function privateKeyFacts(privateKey: KeyObject): { bits: number | undefined; fingerprint: string; publicKeyBase64: string } {
  const pub = createPublicKey(privateKey);
  return {
    bits: privateKey.asymmetricKeyDetails?.modulusLength,
    fingerprint: publicKeyFingerprint(pub),
    publicKeyBase64: (pub.export({ type: 'spki', format: 'der' }) as Buffer).toString('base64'),
  };
}

interface ResultFields {
  resultStatus?: string;
  resultCode?: string;
  resultMessage?: string;
}

function resultOf(response: HttpResponse | undefined): ResultFields | undefined {
  if (!response) return undefined;
  try {
    const json = JSON.parse(response.body) as { result?: ResultFields } | null;
    return json !== null && typeof json === 'object' && json.result && typeof json.result === 'object' ? json.result : undefined;
  } catch {
    return undefined;
  }
}

/** The answer's signature did not verify with the configured Alipay key: say why, using the signature diagnosis. */
function unverifiable(input: DoctorInput, err: AmsSignatureError): DoctorCheck {
  const res = input.response;
  const claimed = resultOf(res);
  const claim = claimed?.resultCode
    ? ` The answer itself says ${claimed.resultStatus ?? '?'} ${claimed.resultCode}${claimed.resultCode === 'ORDER_NOT_EXIST' ? ' (which would mean your request signature and client id were accepted)' : ''}, but nothing it says can be trusted until it verifies.`
    : '';
  const fix = `Download Alipay's public key for the ${envName(input.sandbox)} environment from ${dashboardTab(input.sandbox)} — "Alipay public key", not the public key you uploaded — and configure it as alipayPublicKey.`;
  if (err.reason !== 'mismatch' || err.check !== 'signature' || !res) {
    return check(
      'alipay-public-key',
      false,
      `the answer cannot be verified: ${err.message.replace(/^inquiryPayment: /, '')}.${claim}`,
      err.check === 'client-id'
        ? 'The answer is for another client id: check that baseUrl reaches Alipay directly, not a shared proxy that mixes answers.'
        : 'Something between you and Alipay strips or alters the Signature, Response-Time or Client-Id header: let them through unchanged.',
    );
  }
  const d = diagnoseSignature(
    {
      method: 'POST',
      path: input.path,
      clientId: res.headers['client-id'] ?? input.clientId,
      time: res.headers['response-time'] ?? '',
      body: Buffer.from(res.body, 'utf8'),
      signature: res.headers['signature'] ?? '',
    },
    { publicKey: input.alipayPublicKey, merchantPublicKey: createPublicKey(input.privateKey) },
  );
  switch (d.code) {
    case 'own_public_key':
      return ownKeyAsAlipayCheck(input.sandbox, claim);
    case 'variant_found':
    case 'content_differs':
      return check(
        'alipay-public-key',
        false,
        `the Alipay public key is right, but the answer was changed on its way to you: ${d.message}${claim}`,
        'A proxy or middleware between you and Alipay rewrites the answer: pass the body and the Signature, Response-Time and Client-Id headers through byte for byte.',
      );
    case 'signed_by_merchant_key':
      return check(
        'alipay-public-key',
        false,
        `the answer is signed with YOUR private key, not Alipay's: whatever answers at ${new URL(input.url).origin} signs with the merchant key.${claim}`,
        'Point baseUrl (or region) at Alipay; a test gateway must sign with its own key and give you its public key.',
      );
    case 'wrong_key':
      return check(
        'alipay-public-key',
        false,
        `Alipay's answer does not verify with the configured Alipay public key (fingerprint ${publicKeyFingerprint(input.alipayPublicKey).slice(0, 16)}…): the answer was signed with another key, so it is not the key Alipay signs with on the ${envName(input.sandbox)} environment (sandbox and live keys differ).${claim}`,
        fix,
      );
    default:
      return check(
        'alipay-public-key',
        false,
        `Alipay's answer does not verify with the configured Alipay public key: ${d.message}${claim}`,
        fix,
      );
  }
}

/**
 * How far this machine's clock may be from the gateway's before it is reported. AMS documents no window for
 * Request-Time; a minute is already far for an NTP-synced server, and notification freshness checks
 * (`toleranceMs`) compare against this clock.
 */
export const CLOCK_TOLERANCE_MS = 60_000;

/** The offset of this machine's clock from the gateway's Response-Time, measured at the middle of the exchange. */
function clockCheck(input: DoctorInput): DoctorCheck | undefined {
  const time = input.response?.headers['response-time'];
  if (time === undefined || !input.sentAt || !input.receivedAt) return undefined;
  const gateway = parseRequestTime(time);
  if (gateway === undefined)
    return check(
      'clock',
      false,
      `the gateway's Response-Time "${time.slice(0, 40)}" is not a time`,
      'This is not an AMS answer header: check what answers at baseUrl.',
    );
  const local = (input.sentAt.getTime() + input.receivedAt.getTime()) / 2;
  const offset = local - gateway;
  const seconds = Math.round(offset / 1000);
  // Response-Time has one-second resolution: anything within a second (plus the round trip) is "in sync".
  const slack = 1000 + (input.receivedAt.getTime() - input.sentAt.getTime()) / 2;
  const words =
    Math.abs(offset) <= slack
      ? 'in sync with the gateway (within a second)'
      : `${Math.abs(seconds)} s ${offset > 0 ? 'ahead of' : 'behind'} the gateway (Response-Time ${time})`;
  const ok = Math.abs(offset) <= CLOCK_TOLERANCE_MS;
  return check(
    'clock',
    ok,
    `this machine's clock is ${words}`,
    ok
      ? null
      : 'Synchronize the clock with NTP (timedatectl set-ntp true, or chrony): Request-Time and notification time checks depend on it.',
  );
}

/**
 * Turns the outcome of one `inquiryPayment` for a payment that cannot exist into checks. The expected answer is a
 * signed `F ORDER_NOT_EXIST` that verifies: Alipay accepted the signature (so the uploaded public key is this
 * private key's), knows the client id on this environment, and its answer verifies with the configured key.
 */
export function doctorVerdict(input: DoctorInput): DoctorReport {
  const key = privateKeyFacts(input.privateKey);
  const checks: DoctorCheck[] = [
    check('private-key', true, `RSA ${key.bits ?? '?'} bits; the public half to upload has SHA-256 fingerprint ${key.fingerprint}`),
  ];
  const done = (): DoctorReport => {
    const clock = clockCheck(input);
    if (clock) checks.push(clock);
    return { ok: checks.every((c) => c.ok), checks };
  };
  const { outcome } = input;
  const error = 'error' in outcome ? outcome.error : undefined;
  if (error instanceof AmsConnectionError) {
    checks.push(networkFailure(input, error));
    return done();
  }
  if (error instanceof AmsHttpError && (error.httpStatus === 407 || !resultOf(input.response))) {
    checks.push(notAmsAnswer(input, error));
    return done();
  }
  const origin = new URL(input.url).origin;
  checks.push(
    check(
      'network',
      true,
      `${origin} answered (HTTP ${input.response?.status ?? '?'})${input.proxy ? ` through the proxy ${input.proxy}` : ''}`,
    ),
  );

  if (error instanceof AmsSignatureError) {
    checks.push(unverifiable(input, error));
    return done();
  }
  const signed = input.response?.headers['signature'] !== undefined;
  const accepted = (): void => {
    checks.push(
      check(
        'request-signature',
        true,
        `Alipay accepted the request signature: the public key uploaded for ${input.clientId}${input.keyVersion ? ` (keyVersion ${input.keyVersion})` : ''} is the public half of this private key`,
      ),
    );
    checks.push(check('client-id', true, `${input.clientId} is known on the ${envName(input.sandbox)} environment at ${origin}`));
  };
  const verified = (): void => {
    checks.push(
      signed
        ? check('alipay-public-key', true, "Alipay's answer verifies with the configured Alipay public key")
        : check(
            'alipay-public-key',
            false,
            'the answer came unsigned, so the configured Alipay public key could not be checked (Alipay signs this answer)',
            'Run doctor again; if the answer stays unsigned, something between you and Alipay strips the Signature header.',
          ),
    );
  };

  if (!error) {
    // A paymentRequestId made up on the spot was found: the credentials work, but this gateway is odd.
    accepted();
    verified();
    checks.push(
      check(
        'answer',
        true,
        'the inquiry for a made-up paymentRequestId succeeded (expected ORDER_NOT_EXIST): the credentials work, but check that baseUrl points at a real AMS gateway',
      ),
    );
    return done();
  }
  if (error instanceof AmsUnknownResultError) {
    checks.push(
      check(
        'answer',
        false,
        `the gateway could not answer just now (U ${error.resultCode}): nothing about the credentials was learnt`,
        'Run doctor again in a minute.',
      ),
    );
    return done();
  }
  if (!(error instanceof AmsApiError)) {
    checks.push(
      check('answer', false, error.message, 'Run doctor again; if it persists, report it with this output (it names no secret).'),
    );
    return done();
  }

  const code = error.resultCode;
  const said = error.resultMessage
    ? ` (Alipay: "${error.resultMessage.length > 200 ? `${error.resultMessage.slice(0, 200)}…` : error.resultMessage}")`
    : '';
  const tab = dashboardTab(input.sandbox);
  switch (code) {
    case 'ORDER_NOT_EXIST':
      // Only a signed answer is Alipay's word: an unsigned one can come from anything on the path, so it proves neither
      // the request signature, the client id nor the access (verified() says why).
      if (signed) {
        accepted();
        checks.push(check('access', true, `${input.clientId} may call inquiryPayment`));
      }
      verified();
      break;
    case 'INVALID_SIGNATURE':
      checks.push(
        check(
          'request-signature',
          false,
          `Alipay did not accept the request signature${said}: the public key uploaded for ${input.clientId} on the ${envName(input.sandbox)} environment is not the public half of this private key (or it was uploaded for the other environment). ` +
            `This key's public half (SHA-256 fingerprint ${key.fingerprint}) is ${key.publicKeyBase64}`,
          `Compare it with the public key in ${tab} and upload this one if they differ; \`ams-cashier keys inspect <private key file>\` prints the same fingerprint.`,
        ),
      );
      break;
    case 'KEY_NOT_FOUND':
      checks.push(
        check(
          'request-signature',
          false,
          `Alipay has no public key for ${input.clientId}${input.keyVersion ? ` with keyVersion ${input.keyVersion}` : ''} on the ${envName(input.sandbox)} environment${said}`,
          `Upload the public half of this private key (fingerprint ${key.fingerprint.slice(0, 16)}…) in ${tab}` +
            (input.keyVersion ? ', or set keyVersion to the version shown next to the uploaded key.' : '.'),
        ),
      );
      break;
    case 'INVALID_CLIENT':
      checks.push(
        check(
          'client-id',
          false,
          `${input.clientId} is not known to the ${envName(input.sandbox)} environment at ${origin}${said}`,
          `Copy the Client ID from ${tab}; sandbox ids start with SANDBOX_ and only work on the sandbox, live ids only on live. Check the region too (NA: open-na.alipay.com, SEA: open-sea.alipay.com).`,
        ),
      );
      break;
    case 'INVALID_API':
      checks.push(
        check(
          'environment',
          false,
          `Alipay refused the path ${input.path} for ${input.clientId}${said}: a sandbox client id on the live path, or a live id on the sandbox path`,
          `Use the client id of the environment you mean: SANDBOX_… ids call /ams/sandbox/api/…, live ids /ams/api/… (the client chooses the path from the id); a proxy must not rewrite the path.`,
        ),
      );
      break;
    case 'ACCESS_DENIED':
      if (signed) {
        accepted();
        verified();
      }
      checks.push(
        check(
          'access',
          false,
          `${input.clientId} may not call inquiryPayment on the ${envName(input.sandbox)} environment${said}: the product (Cashier Payment) is not activated for it${input.agentToken ? ', or the Agent-Token is not valid for it' : ''}`,
          `Have Cashier Payment activated for this client id on the ${envName(input.sandbox)} environment (the products of your Antom dashboard, or your Alipay contact)` +
            (input.agentToken
              ? '; an ISV sends the Agent-Token of the merchant it acts for.'
              : '; an ISV acting for a merchant also sends its Agent-Token (agentToken, --agent-token).'),
        ),
      );
      break;
    default:
      if (signed) {
        accepted();
        verified();
      }
      checks.push(
        check(
          'answer',
          false,
          `unexpected answer F ${code}${said} to an inquiry for a payment that cannot exist`,
          "Look the code up in Alipay's result codes; it is not one doctor knows how to read.",
        ),
      );
  }
  return done();
}
