// The inbox both example processes open: the same Redis, queue and verification settings, from the environment.
import { readFileSync } from 'node:fs';
import { createNotificationInbox, type NotificationInbox } from 'ams-cashier/bullmq';

export const NOTIFY_PATH = '/alipay/notify';

function required(name: string): string {
  const value = process.env[name];
  if (!value) {
    console.error(`set ${name} (see examples/inbox/receiver.ts)`);
    process.exit(2);
  }
  return value;
}

export function inboxFromEnv(): NotificationInbox {
  return createNotificationInbox({
    connection: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    path: NOTIFY_PATH,
    alipayPublicKey: readFileSync(required('AMS_ALIPAY_PUBLIC_KEY_FILE'), 'utf8'),
    clientId: required('AMS_CLIENT_ID'),
  });
}
