// A receiver process for the multi-process inbox tests: the inbox's Node handler on a loopback port; prints its URL.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { inboxFromEnv } from './inbox';

const inbox = inboxFromEnv();
const server = createServer(inbox.nodeHandler);
server.keepAliveTimeout = 30_000;
server.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  process.stdout.write(`${JSON.stringify({ ready: `http://127.0.0.1:${port}` })}\n`);
});
process.once('SIGTERM', () => {
  server.closeAllConnections();
  server.close(() => void inbox.close().then(() => process.exit(0)));
});
