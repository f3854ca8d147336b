// The working process: runs the slow part (ERP, mail, shipping) for each stored notification, with retries.
//   REDIS_URL=redis://127.0.0.1:6379 AMS_CLIENT_ID=SANDBOX_… AMS_ALIPAY_PUBLIC_KEY_FILE=keys/alipay_public_key.txt \
//     npx tsx examples/inbox/worker.ts
import { inboxFromEnv } from './config.js';

const inbox = inboxFromEnv();
const { worker } = inbox.process(
  {
    async onPayment(notification, { key, attempt }) {
      // Make the work idempotent on `key`: a job can run again after a crash mid-way.
      if (notification.outcome === 'paid') {
        console.log(`worker: paid ${notification.paymentRequestId} (${key}, attempt ${attempt})`);
      } else {
        console.log(`worker: ${notification.notifyType} ${notification.outcome} for ${notification.paymentRequestId}`);
      }
    },
    async onRefund(notification, { key }) {
      console.log(`worker: refund ${notification.refundStatus} (${key})`);
    },
    async onOther(notification, { key }) {
      console.log(`worker: ${notification.notifyType} (${key})`);
    },
  },
  {
    concurrency: 10,
    onDeadLetter: ({ context, error }) =>
      console.error(`worker: gave up on ${context.key} after ${context.attempt} attempts: ${String(error)}`),
  },
);
void worker.waitUntilReady().then(() => console.log('worker: ready'));

// On deploy: finish the jobs in hand, take no new ones.
process.once('SIGTERM', () => void inbox.close());
