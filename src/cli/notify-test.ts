// `ams-cashier notify-test`: proves a merchant's notification endpoint with the notifications Antom sends, before Antom calls it.
import { existsSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { DEFAULT_NOTIFY_WAIT_MS, testNotificationEndpoint, type NotificationEndpointReport, type TestOrder } from '../notify-test/run';
import { SCENARIOS } from '../notify-test/scenarios';
import { printable, showValue } from '../rules/show';
import { parseCommandArgs, requireOpts, stringOpt } from './args';
import { envelope } from './envelope';
import { CliUsageError, EXIT, StdinGuard, readKeyArg, type CliIo, type ExitCode } from './io';

export const NOTIFY_TEST_HELP = `Usage: ams-cashier notify-test --url URL --client-id ID [--alipay-private-key FILE]
                              [--order-url URL] [--wait-ms N] [--only NAME,…] [--json]

Sends your notification endpoint the notifications Antom sends, each signed exactly as Antom signs it (the
headers, the canonical signature, the body bytes), and grades each answer:
  acknowledged      a PAYMENT_RESULT, the same one again, PAYMENT_PENDING then its result, a failed payment,
                    a refund, a capture, a notifyType you do not know, unknown fields, keys reordered
  not acknowledged  a forged signature, a signature over other bytes, another merchant's client id, no signature
  answered          a body sent slowly, a body of 2 MiB (refusing them is fine; never answering is not)
and times every answer against Antom's wait. It never needs your private key.

Options:
  --url URL                  your notification endpoint, as Antom calls it (http://localhost:3000/ams/notify)
  --client-id ID             your client id, as your endpoint expects it
  --alipay-private-key FILE  the test "Alipay" private key; your endpoint must be configured, for the test, with
                             its public half as the Alipay public key. Without it a pair is made: the private half is
                             written to notify-test-alipay-private.pem and the public half printed, to configure and
                             run again with --alipay-private-key notify-test-alipay-private.pem
  --order-url URL            your own test route: POST it to create an order (answer {"paymentRequestId",
                             "paymentAmount": {"currency", "value"}}); GET URL?paymentRequestId=… must answer
                             {"paid": true|false}: the order must be paid after its PAYMENT_RESULT, and not after
                             PAYMENT_PENDING, a failure, another amount or a forgery
  --wait-ms N                how long an answer may take (default ${DEFAULT_NOTIFY_WAIT_MS}, the embedded gateway's wait)
  --only NAME,…              only these scenarios: ${SCENARIOS.map((s) => s.name).join(', ')}
  --json                     one JSON object on stdout
  -h, --help                 show this help

Exit codes: 0 every scenario passes, 1 one fails (each says what to fix), 2 unusable input.

Example:
  ams-cashier notify-test --url http://localhost:3000/ams/notify --client-id SANDBOX_5Y0… \\
    --alipay-private-key notify-test-alipay-private.pem
`;

const KEY_FILE = 'notify-test-alipay-private.pem';

/** The order hook over HTTP: POST creates an order, GET ?paymentRequestId= says whether it is paid (when it answers). */
function orderHook(orderUrl: string): { create(): Promise<TestOrder>; isPaid(id: string): Promise<boolean> } {
  const bad = (what: string) =>
    new CliUsageError(`--order-url: ${what}; it must answer POST with {"paymentRequestId", "paymentAmount": {"currency", "value"}}`, {
      command: 'notify-test',
    });
  return {
    async create() {
      const res = await fetch(orderUrl, { method: 'POST', signal: AbortSignal.timeout(10_000) });
      if (!res.ok) throw bad(`POST answered HTTP ${res.status}`);
      const order = (await res.json().catch(() => undefined)) as Partial<TestOrder> | undefined;
      const amount = order?.paymentAmount;
      if (typeof order?.paymentRequestId !== 'string' || typeof amount?.currency !== 'string' || typeof amount.value !== 'string')
        throw bad('POST did not answer an order');
      return { paymentRequestId: order.paymentRequestId, paymentAmount: { currency: amount.currency, value: amount.value } };
    },
    // An order whose state cannot be read is never taken for unpaid: "not paid after a forgery" would pass unchecked.
    async isPaid(id) {
      const url = new URL(orderUrl);
      url.searchParams.set('paymentRequestId', id);
      const unread = (what: string) =>
        new CliUsageError(`--order-url: GET ?paymentRequestId= ${what}; it must answer {"paid": true} or {"paid": false}`, {
          command: 'notify-test',
        });
      const res = await fetch(url, { signal: AbortSignal.timeout(10_000) }).catch((err: Error) => {
        throw unread(`failed (${(err.cause as NodeJS.ErrnoException | undefined)?.code ?? err.name})`);
      });
      if (!res.ok) throw unread(`answered HTTP ${res.status}`);
      const body = (await res.json().catch(() => undefined)) as { paid?: unknown } | null | undefined;
      if (typeof body?.paid !== 'boolean') throw unread('did not answer whether the order is paid');
      return body.paid;
    },
  };
}

export function formatNotifyTest(report: NotificationEndpointReport, keyFile: string | undefined): string {
  const out: string[] = [];
  if (report.alipayPublicKey)
    out.push(
      `A test "Alipay" key pair was made; its private half is in ${keyFile ?? KEY_FILE}. Configure this public key as the`,
      'Alipay public key of your app for the test (as you will configure the real one), then run again with',
      `--alipay-private-key ${keyFile ?? KEY_FILE}:`,
      '',
      report.alipayPublicKey.trim(),
      '',
    );
  out.push(`notify-test ${printable(report.url, 200)} (Antom's wait: ${report.waitMs} ms)`);
  for (const s of report.scenarios) {
    const got = s.status !== undefined ? `HTTP ${s.status}` : 'no answer';
    out.push(`${s.ok ? 'PASS' : 'FAIL'}  ${s.name}: ${s.sent} → ${got}, ${s.ms} ms (expected: ${s.expected})`);
    if (!s.ok) {
      out.push(`      ${s.problem ?? ''}`);
      if (s.body) out.push(`      answered: ${printable(s.body, 120)}`);
      if (s.fix) out.push(`      fix: ${s.fix}`);
    } else if (s.note) out.push(`      note: ${s.note}`);
  }
  out.push('', `Slowest acknowledgement: ${report.slowestAckMs} ms of the ${report.waitMs} ms Antom waits.`);
  const failed = report.scenarios.filter((s) => !s.ok).length;
  out.push(
    report.ok
      ? `OK: your endpoint answers every notification as Antom needs (${report.scenarios.length} scenarios)`
      : `NOT READY: ${failed} of ${report.scenarios.length} scenarios failed`,
  );
  return out.join('\n');
}

export async function runNotifyTest(argv: string[], io: CliIo): Promise<ExitCode> {
  const parsed = parseCommandArgs('notify-test', argv, {
    url: { type: 'string' },
    'client-id': { type: 'string' },
    'alipay-private-key': { type: 'string' },
    'order-url': { type: 'string' },
    'wait-ms': { type: 'string' },
    only: { type: 'string' },
    json: { type: 'boolean' },
  });
  if (parsed.values['help']) {
    io.out(NOTIFY_TEST_HELP);
    return EXIT.OK;
  }
  requireOpts('notify-test', parsed, ['url', 'client-id']);
  const url = stringOpt(parsed, 'url')!;
  if (!/^https?:\/\/[^\s]+$/i.test(url) || !URL.canParse(url))
    throw new CliUsageError(`--url must be your endpoint's http(s) URL, not ${showValue(url, 60)}`, { command: 'notify-test' });
  const waitText = stringOpt(parsed, 'wait-ms');
  const waitMs = waitText === undefined ? DEFAULT_NOTIFY_WAIT_MS : Number(waitText);
  if (!/^\d{3,6}$/.test(waitText ?? '100') || waitMs < 100 || waitMs > 120_000)
    throw new CliUsageError('--wait-ms must be a whole number of milliseconds from 100 to 120000', { command: 'notify-test' });
  const only = stringOpt(parsed, 'only')
    ?.split(',')
    .map((n) => n.trim())
    .filter(Boolean);
  const unknown = (only ?? []).filter((n) => !SCENARIOS.some((s) => s.name === n));
  if (unknown.length > 0)
    throw new CliUsageError(
      `--only: unknown scenario(s) ${unknown.map((n) => showValue(n, 40)).join(', ')}; the scenarios are ${SCENARIOS.map((s) => s.name).join(', ')}`,
      {
        command: 'notify-test',
      },
    );
  const orderUrl = stringOpt(parsed, 'order-url');
  if (orderUrl !== undefined && !URL.canParse(orderUrl))
    throw new CliUsageError(`--order-url must be an http(s) URL, not ${showValue(orderUrl, 60)}`, { command: 'notify-test' });
  const keySpec = stringOpt(parsed, 'alipay-private-key');
  const key = keySpec === undefined ? undefined : await readKeyArg(io, keySpec, '--alipay-private-key', new StdinGuard(io));
  // Without a key a pair is made, and its private half kept here for the next run (never printed).
  const keyFile = key === undefined ? resolve(io.cwd, KEY_FILE) : undefined;
  if (keyFile && existsSync(keyFile))
    throw new CliUsageError(`${KEY_FILE} already exists here: run with --alipay-private-key ${KEY_FILE}, or remove it for a new pair`, {
      command: 'notify-test',
    });

  const report = await testNotificationEndpoint({
    url,
    clientId: stringOpt(parsed, 'client-id')!,
    waitMs,
    ...(key ? { alipayPrivateKey: key } : {}),
    ...(only ? { only } : {}),
    ...(orderUrl ? { order: orderHook(orderUrl) } : {}),
  });
  if (keyFile && report.alipayPrivateKey) writeFileSync(keyFile, report.alipayPrivateKey, { mode: 0o600, flag: 'wx' });
  const { alipayPrivateKey: _secret, ...shown } = report;
  if (parsed.values['json']) {
    const failed = report.scenarios.filter((s) => !s.ok);
    const error = report.ok
      ? undefined
      : {
          code: 'SCENARIOS_FAILED',
          message: `${failed.length} of ${report.scenarios.length} scenarios failed: ${failed.map((s) => s.name).join(', ')}`,
          fix: failed[0]?.fix ?? 'See each failed scenario.',
        };
    io.out(envelope('notify-test', report.ok, { ...shown, ...(keyFile ? { alipayPrivateKeyFile: keyFile } : {}) }, error));
  } else io.out(formatNotifyTest(report, keyFile));
  return report.ok ? EXIT.OK : EXIT.FAIL;
}
