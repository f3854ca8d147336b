// The `ams-cashier/bullmq` entry: a durable notification inbox on BullMQ and Redis (bullmq and ioredis are optional peers).
export { createNotificationInbox, readInboxStatsAt, DEFAULT_QUEUE_NAME, defaultQueueName } from './inbox';
export type { InboxDurability } from './durability';
export type { NotificationInbox, NotificationInboxOptions, NotificationInboxOwnOptions, InboxConnection } from './inbox';
export type { InboxCallbacks, InboxCallback, InboxJobContext, InboxDeadLetter, InboxProcessOptions, InboxWorker } from './worker';
export type { InboxStats } from './stats';
export { inboxJobId, decodeRawBody } from './job';
export type { InboxJobData } from './job';
