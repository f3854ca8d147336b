// The inbox every test process opens: the Redis and queue the test passes in the environment, the test "Alipay" key.
import { createNotificationInbox, type NotificationInbox, type NotificationInboxOwnOptions } from '../../../src/bullmq';
import { alipay } from '../../helpers/keys';
import { CLIENT_ID, PATH } from '../../notifications/helpers';

export function inboxFromEnv(extra: Partial<NotificationInboxOwnOptions> = {}): NotificationInbox {
  return createNotificationInbox({
    connection: process.env.REDIS_URL!,
    queueName: process.env.QUEUE!,
    path: PATH,
    alipayPublicKey: alipay.publicBase64,
    clientId: CLIENT_ID,
    logger: {},
    ...extra,
  });
}
