// An ISV / acquirer: one client id and key, one AmsClient per merchant it acts for, each with that merchant's Agent-Token.
// Run: npx tsx examples/acquirer.ts
import { generateKeyPairSync } from 'node:crypto';
import { AmsClient, buildCashierPayment, type AmsClientConfig } from 'ams-cashier';
import { startAmsGateway } from 'ams-cashier/mocks';

const isvKeys = generateKeyPairSync('rsa', { modulusLength: 2048 });
const tokens = { 'noodle-bar': 'AGENT_TOKEN_NOODLE_BAR', 'tea-house': 'AGENT_TOKEN_TEA_HOUSE' } as const;
const gateway = await startAmsGateway({
  merchants: [{ clientId: 'SANDBOX_ISV_ACQUIRER', merchantPublicKey: isvKeys.publicKey, agentTokens: Object.values(tokens) }],
});

try {
  // Shared configuration; only the Agent-Token differs. Construct each client once and keep it.
  const base: AmsClientConfig = {
    clientId: 'SANDBOX_ISV_ACQUIRER',
    privateKey: isvKeys.privateKey,
    alipayPublicKey: gateway.alipayPublicKey,
    baseUrl: gateway.url,
  };
  const clients = new Map(Object.entries(tokens).map(([merchant, agentToken]) => [merchant, new AmsClient({ ...base, agentToken })]));

  for (const [merchant, client] of clients) {
    // The builder turns what an ISV has at hand into a complete, valid pay body (currency rules,
    // minor units, chinaExtraTransInfo, expiry), reporting every problem at once.
    const request = buildCashierPayment(
      {
        // The same paymentRequestId for two merchants is two payments: ids are unique per merchant.
        paymentRequestId: 'order-0001',
        referenceOrderId: `${merchant}-0001`,
        description: `Lunch at ${merchant}`,
        amount: '12.50',
        currency: 'USD',
        settlementCurrency: 'USD',
        goods: [
          { name: 'Noodles', quantity: 2 },
          { name: 'Tea', quantity: 1 },
        ],
        terminalType: 'WEB',
        redirectUrl: `https://${merchant}.example/return`,
        expiresInMinutes: 5,
      },
      { now: new Date() },
    );
    const res = await client.pay(request);
    console.log(
      `${merchant}: ${res.result.resultCode}, paymentId ${res.paymentId}, inquiry → ${(await client.inquiryPayment({ paymentRequestId: 'order-0001' })).paymentStatus}`,
    );
  }
  console.log(`the gateway holds ${gateway.payments.length} payments, one per Agent-Token`);
} finally {
  await gateway.close();
}
