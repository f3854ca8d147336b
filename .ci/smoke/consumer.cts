// Type-level smoke test: a CommonJS consumer compiles against dist/*.d.cts through the exports map.
import { AmsClient, loadPrivateKey, type AmsClientConfig } from 'ams-cashier';
import { createRedisNotificationStore } from 'ams-cashier/redis';

export function make(config: AmsClientConfig): AmsClient {
  loadPrivateKey(config.privateKey);
  return new AmsClient(config);
}
export const store = createRedisNotificationStore;
