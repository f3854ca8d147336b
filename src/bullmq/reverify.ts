// The worker's check before any callback: a job is run only if its stored raw body and headers verify, again, as a notification Alipay signed for this inbox.
import { AmsSignatureError } from '../errors';
import { formerNotificationKeys, notificationKey } from '../notifications/dedupe';
import type { AmsNotification } from '../notifications/schemas';
import { verifyDelivery, type Verifier } from '../notifications/verify';
import { decodeRawBody, inboxJobId, type InboxJobData } from './job';

/** What the worker verifies jobs against: the inbox's own keys and client ids, and its notify path when it has one. */
export interface JobVerification {
  verifier: Verifier;
  /** The inbox's `path` option; without it, the path stored with the job (the receiver verified against it). */
  path: string | undefined;
}

/** A job that is not a notification Alipay signed for this inbox: it fails for good, no callback runs. */
export class InboxJobRefused extends Error {
  override readonly name = 'InboxJobRefused';
}

function refuse(jobId: string | undefined, why: string, cause?: unknown): never {
  throw new InboxJobRefused(
    `inbox job ${jobId ?? '(no id)'} refused before any callback: ${why}`,
    cause === undefined ? undefined : { cause },
  );
}

function isStringRecord(value: unknown): value is Record<string, string> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && Object.values(value).every((v) => typeof v === 'string');
}

/**
 * Verifies a job as the receiver verified the delivery, with the same verifier (`verifyDelivery`): signature over the
 * stored raw body, path and headers, under the inbox's Alipay public key, for one of its client ids. The request-time
 * tolerance is not applied again (a retry may run hours later; the receiver checked it on arrival). The notification
 * handed to callbacks is the one parsed from the verified bytes, never the stored copy, and the job's key and id must
 * be that notification's. Throws InboxJobRefused naming why.
 */
export async function verifyJob(
  job: { id?: string | undefined; data: InboxJobData | undefined },
  v: JobVerification,
): Promise<{ notification: AmsNotification; rawBody: Buffer }> {
  const data = job.data as Partial<InboxJobData> | undefined | null;
  if (!data || data.v !== 1) {
    refuse(job.id, `unknown job layout (v=${String(data?.v)}); was it written by a newer ams-cashier?`);
  }
  if (
    typeof data.rawBody !== 'string' ||
    (data.rawBodyEncoding !== 'utf8' && data.rawBodyEncoding !== 'base64') ||
    typeof data.key !== 'string' ||
    typeof data.path !== 'string' ||
    !isStringRecord(data.headers)
  ) {
    refuse(job.id, 'the job has no raw body, headers, path or key as the inbox writes them; it was not written by the inbox');
  }
  const rawBody = decodeRawBody({ rawBody: data.rawBody, rawBodyEncoding: data.rawBodyEncoding });
  let notification: AmsNotification;
  try {
    notification = await verifyDelivery({ path: v.path ?? data.path, headers: data.headers, rawBody }, v.verifier);
  } catch (err) {
    const detail =
      err instanceof AmsSignatureError ? `${err.reason}${err.check ? ` (${err.check})` : ''}: ${err.message}` : (err as Error).message;
    refuse(job.id, `it does not verify as a notification Alipay signed for this inbox: ${detail}`, err);
  }
  const key = notificationKey(notification, rawBody);
  // A job stored by a receiver of an earlier version carries the key that version gave (disputes were keyed by the
  // hash of their body): derived from the same verified bytes, so still only this notification's.
  if (data.key !== key && !formerNotificationKeys(notification, rawBody).includes(data.key))
    refuse(job.id, `its key "${data.key.slice(0, 80)}" is not the verified notification's key "${key.slice(0, 80)}"`);
  if (job.id !== inboxJobId(data.key))
    refuse(job.id, `its id is not the one the inbox gives this notification (${inboxJobId(data.key).slice(0, 80)})`);
  return { notification, rawBody };
}
