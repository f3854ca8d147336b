// The receiving process: verify each notification, store it in Redis, acknowledge. Run several behind a load balancer.
//   REDIS_URL=redis://127.0.0.1:6379 AMS_CLIENT_ID=SANDBOX_… AMS_ALIPAY_PUBLIC_KEY_FILE=keys/alipay_public_key.txt \
//     PORT=3000 npx tsx examples/inbox/receiver.ts
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { inboxFromEnv, NOTIFY_PATH } from './config.js';

const inbox = inboxFromEnv();
const server = http.createServer((req, res) => {
  if (req.url?.split('?')[0] === NOTIFY_PATH) return void inbox.nodeHandler(req, res);
  res.writeHead(404).end();
});
server.listen(Number(process.env.PORT ?? 3000), '127.0.0.1', () => {
  console.log(`receiver: POST http://127.0.0.1:${(server.address() as AddressInfo).port}${NOTIFY_PATH}`);
});

// On deploy: stop taking requests, let the ones in flight finish, close Redis.
process.once('SIGTERM', () => server.close(() => void inbox.close()));
