// Bench rows for verifyNotification: against its ceiling (raw verify + JSON.parse + the compiled schema), and that ceiling against raw verify.
import { verify as rawVerify } from 'node:crypto';
import { z } from 'zod';
import type { KeyInput } from '../src/signing/keys';
import { sink, throughputCase, type CaseResult, type Target } from './case';
import { notifications, root } from './dist';
import { CLIENT_ID, NOTIFY_PATH, keyObjects, keys, notification, rawSignatureOf } from './fixtures';
import { alternate, type Side } from './harness';

/** The floor: dig the signature out of the header, build the content over the raw bytes, crypto.verify. */
function rawVerifyNotification(): boolean {
  const h = notification.headers;
  const head = Buffer.from(`POST ${NOTIFY_PATH}\n${h['client-id']}.${h['request-time']}.`, 'utf8');
  return rawVerify('sha256', Buffer.concat([head, notification.rawBody]), keyObjects.alipayPublic, rawSignatureOf(h['signature']!));
}

/** verifyNotification on the fixture, n times, with this key. */
export function verifySide(name: string, alipayPublicKey: KeyInput): Side {
  return {
    name,
    run(n) {
      for (let i = 0; i < n; i++) {
        sink.value = root.verifyNotification({
          path: NOTIFY_PATH,
          headers: notification.headers,
          rawBody: notification.rawBody,
          alipayPublicKey,
          clientId: CLIENT_ID,
        });
      }
    },
  };
}

/**
 * verifyNotification against its ceiling: what the body alone costs any verifier that hands back a checked object,
 * i.e. the raw floor, then JSON.parse and the payment notification schema compiled (as the package runs it from its
 * second parse). No envelope checks: everything verifyNotification checks besides (the three headers, the Signature
 * grammar, the canonical signature, the client id, the body's kind, the outcome) is what the ratio charges it for.
 * Reported beside it: that ceiling against raw crypto.verify.
 */
export async function verifyNotificationCases(): Promise<CaseResult[]> {
  if (!rawVerifyNotification()) throw new Error('the raw floor does not verify the fixture notification');
  const check = root.verifyNotification({
    path: NOTIFY_PATH,
    headers: notification.headers,
    rawBody: notification.rawBody,
    alipayPublicKey: keys.alipayPublicBase64,
    clientId: CLIENT_ID,
  });
  if (check.kind !== 'payment') throw new Error(`verifyNotification returned kind ${check.kind} for the fixture`);
  const rawSide: Side = {
    name: 'raw crypto.verify (KeyObject)',
    run(n) {
      for (let i = 0; i < n; i++) sink.value = rawVerifyNotification();
    },
  };
  const compiled = z.compile(notifications.PaymentNotificationSchema);
  const ceilingSide: Side = {
    name: 'raw crypto.verify + JSON.parse + zod (compiled)',
    run(n) {
      for (let i = 0; i < n; i++) {
        if (!rawVerifyNotification()) throw new Error('the raw floor does not verify the fixture notification');
        sink.value = compiled.parse(JSON.parse(notification.rawBody.toString('utf8')));
      }
    },
  };
  const target: Target = { kind: 'min', value: 0.92, unit: '× throughput' };
  const options = { rounds: 41, warmupRounds: 3, plan: { kind: 'ops', ops: 300 } } as const;
  const [a1, b1] = await alternate(
    verifySide('verifyNotification (bare-base64 key string)', keys.alipayPublicBase64),
    ceilingSide,
    options,
  );
  const [a2, b2] = await alternate(verifySide('verifyNotification (KeyObject)', keyObjects.alipayPublic), ceilingSide, options);
  const [a3, b3] = await alternate(ceilingSide, rawSide, options);
  const ceiling = 'its ceiling: raw crypto.verify + JSON.parse + compiled schema';
  return [
    throughputCase('notify-verify', 'verifyNotification (verify + parse + zod), key as base64 string', ceiling, target, a1, b1),
    throughputCase('notify-verify-keyobject', 'verifyNotification (verify + parse + zod), KeyObject', ceiling, target, a2, b2),
    throughputCase(
      'diag-notify-ceiling',
      'diagnostic: the ceiling (raw crypto.verify, then JSON.parse and the compiled zod schema of the body)',
      'raw crypto.verify',
      null,
      a3,
      b3,
      'the best any verifier that returns a zod-checked body can reach against the raw floor',
    ),
  ];
}
