// An ISV / acquirer: one client id and key, one AmsClient per merchant it acts for, each with that merchant's Agent-Token.
// Run: npx tsx examples/acquirer.ts
import { generateKeyPairSync } from 'node:crypto';
import { AmsClient, toMinorUnits, type AmsClientConfig } from '../src/index';
import { startAmsGateway } from '../mocks/index';

const isvKeys = generateKeyPairSync('rsa', { modulusLength: 2048 });
const tokens = { 'noodle-bar': 'AGENT_TOKEN_NOODLE_BAR', 'tea-house': 'AGENT_TOKEN_TEA_HOUSE' } as const;
const gateway = await startAmsGateway({
  merchants: [{ clientId: 'SANDBOX_ISV_ACQUIRER', merchantPublicKey: isvKeys.publicKey, agentTokens: Object.values(tokens) }],
});

try {
  // Shared configuration; only the Agent-Token differs. Construct each client once and keep it.
  const base: AmsClientConfig = { clientId: 'SANDBOX_ISV_ACQUIRER', privateKey: isvKeys.privateKey, alipayPublicKey: gateway.alipayPublicKey, baseUrl: gateway.url };
  const clients = new Map(Object.entries(tokens).map(([merchant, agentToken]) => [merchant, new AmsClient({ ...base, agentToken })]));

  for (const [merchant, client] of clients) {
    const amount = { currency: 'USD', value: toMinorUnits('12.50', 'USD') };
    const res = await client.pay({
      productCode: 'CASHIER_PAYMENT',
      // The same paymentRequestId for two merchants is two payments: ids are unique per merchant.
      paymentRequestId: 'order-0001',
      order: { referenceOrderId: `${merchant}-0001`, orderDescription: `Lunch at ${merchant}`, orderAmount: amount },
      paymentAmount: amount,
      paymentMethod: { paymentMethodType: 'ALIPAY_CN' },
      paymentRedirectUrl: `https://${merchant}.example/return`,
      env: { terminalType: 'WEB' },
      settlementStrategy: { settlementCurrency: 'USD' },
    });
    console.log(`${merchant}: ${res.result.resultCode}, paymentId ${res.paymentId}, inquiry → ${(await client.inquiryPayment({ paymentRequestId: 'order-0001' })).paymentStatus}`);
  }
  console.log(`the gateway holds ${gateway.payments.length} payments, one per Agent-Token`);
} finally {
  await gateway.close();
}
