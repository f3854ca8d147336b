// The `ams-cashier/redis` entry: notification dedupe shared by several instances, on Redis through ioredis (optional peer).
export { createRedisNotificationStore } from './store';
export type { RedisNotificationStoreOptions } from './store';
