// `npm start -- --doctor`: `client.doctor()` against the embedded gateway, once per way credentials go wrong.
import { generateKeyPairSync } from 'node:crypto';
import { startAmsGateway } from 'ams-cashier/mocks';
import { AmsClient, type AmsClientConfig, type DoctorReport } from 'ams-cashier';

/** Runs every scenario and prints what doctor says; resolves with the exit code (0 when each verdict was as expected). */
export async function runDoctorDemo(): Promise<number> {
  const merchant = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const stranger = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const gateway = await startAmsGateway({
    merchants: {
      SANDBOX_DEMO_OK: merchant.publicKey,
      SANDBOX_DEMO_OTHER_KEY_UPLOADED: stranger.publicKey,
      SANDBOX_DEMO_KEY_V2_ONLY: merchant.publicKey,
      SANDBOX_DEMO_LIVE_ONLY: merchant.publicKey,
      SANDBOX_DEMO_NOT_ACTIVATED: merchant.publicKey,
    },
    credentials: {
      SANDBOX_DEMO_KEY_V2_ONLY: { keyVersions: ['2'] },
      SANDBOX_DEMO_LIVE_ONLY: { registeredIn: 'live' },
      SANDBOX_DEMO_NOT_ACTIVATED: { productActivated: false },
    },
  });
  const scenarios: Array<{ title: string; expect: string; config: Partial<AmsClientConfig> }> = [
    { title: 'everything right', expect: '', config: {} },
    { title: 'another public key was uploaded', expect: 'request-signature', config: { clientId: 'SANDBOX_DEMO_OTHER_KEY_UPLOADED' } },
    { title: 'no key uploaded for keyVersion 1', expect: 'request-signature', config: { clientId: 'SANDBOX_DEMO_KEY_V2_ONLY' } },
    { title: 'a client id the gateway does not know', expect: 'client-id', config: { clientId: 'SANDBOX_DEMO_TYPO' } },
    { title: 'a client id of the other environment', expect: 'environment', config: { clientId: 'SANDBOX_DEMO_LIVE_ONLY' } },
    { title: 'the product is not activated', expect: 'access', config: { clientId: 'SANDBOX_DEMO_NOT_ACTIVATED' } },
    { title: "the wrong key configured as Alipay's", expect: 'alipay-public-key', config: { alipayPublicKey: stranger.publicKey } },
  ];
  let unexpected = 0;
  try {
    for (const [i, s] of scenarios.entries()) {
      const client = new AmsClient({
        clientId: 'SANDBOX_DEMO_OK',
        privateKey: merchant.privateKey,
        alipayPublicKey: gateway.alipayPublicKey,
        baseUrl: gateway.url,
        ...s.config,
      });
      const report = await client.doctor();
      const failed = report.checks
        .filter((c) => !c.ok)
        .map((c) => c.name)
        .join(',');
      if (failed !== s.expect) unexpected++;
      console.log(`${i + 1}. ${s.title} (${client.clientId})`);
      // The first report in full; for the others, what failed and the fix.
      const text = formatReport(report, `${client.clientId} at ${gateway.url}`);
      const lines = i === 0 ? text : text.filter((l) => !l.startsWith('PASS'));
      console.log(`${lines.map((l) => `   ${l}`).join('\n')}\n`);
    }
    const sent = gateway.core.events.filter((e) => e.type === 'request.received').map((e) => e.api);
    console.log(
      `The gateway received ${sent.length} calls, all ${[...new Set(sent)].join(', ')}; it holds ${gateway.payments.length} payments.`,
    );
  } finally {
    await gateway.close();
  }
  return unexpected === 0 ? 0 : 1;
}

/** The report as `ams-cashier doctor` prints it: a line per check, the fix under each failure, the verdict. */
function formatReport(report: DoctorReport, target: string): string[] {
  const lines = report.checks.flatMap((c) => [
    `${c.ok ? 'PASS' : 'FAIL'}  ${c.name}: ${c.message}`,
    ...(c.fix ? [`      fix: ${c.fix}`] : []),
  ]);
  const failed = report.checks.filter((c) => !c.ok).length;
  lines.push(
    report.ok ? `OK: ready for the first payment (${target})` : `NOT READY: ${failed} of ${report.checks.length} checks failed (${target})`,
  );
  return lines;
}
