// The smallest payment: one AmsClient, one pay call, against the embedded gateway. Run: npx tsx examples/pay.ts
// (in a terminal, the gateway stays up until Enter so the printed cashier link can be opened)
import { generateKeyPairSync } from 'node:crypto';
import { AmsClient, cashierRedirect, toMinorUnits } from 'ams-cashier';
import { startAmsGateway } from 'ams-cashier/mocks';

const merchantKeys = generateKeyPairSync('rsa', { modulusLength: 2048 });
const gateway = await startAmsGateway({ clientId: 'SANDBOX_DEMO_MERCHANT', merchantPublicKey: merchantKeys.publicKey });

try {
  // With real credentials: { clientId, privateKey, alipayPublicKey, region: 'NA' } and no gateway.
  const client = new AmsClient({
    clientId: 'SANDBOX_DEMO_MERCHANT',
    privateKey: merchantKeys.privateKey,
    alipayPublicKey: gateway.alipayPublicKey,
    baseUrl: gateway.url,
  });
  const amount = { currency: 'USD', value: toMinorUnits('19.99', 'USD') };
  const res = await client.pay({
    productCode: 'CASHIER_PAYMENT',
    paymentRequestId: `example-${Date.now()}`,
    order: {
      referenceOrderId: 'order-1',
      orderDescription: 'T-shirt',
      orderAmount: amount,
      extendInfo: { chinaExtraTransInfo: { businessType: '4', goodsInfo: 'T-shirt^1', totalQuantity: '1' } },
    },
    paymentAmount: amount,
    paymentMethod: { paymentMethodType: 'ALIPAY_CN' },
    paymentRedirectUrl: 'https://merchant.example/return',
    env: { terminalType: 'WEB' },
    settlementStrategy: { settlementCurrency: 'USD' },
  });
  // cashierRedirect: the guide's GET to redirectUrl with every parameter (`url`), or a self-submitting form (`html`).
  console.log(`${res.result.resultStatus}/${res.result.resultCode}: send the buyer to ${cashierRedirect(res).url}`);
  // The link lives as long as the gateway: in a terminal, keep it up until Enter so the link can be opened.
  if (process.stdin.isTTY) {
    console.log('Open that link in a browser (the local simulated cashier); press Enter to stop the gateway.');
    await new Promise<void>((resolve) => process.stdin.once('data', () => resolve()));
    process.stdin.pause();
  } else {
    console.log('(not a terminal: the gateway stops now, and the link with it; run it in a terminal to open the link)');
  }
} finally {
  await gateway.close();
}
