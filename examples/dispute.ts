// When a buyer disputes: the rate asked before the payment, then the dispute notification, the template, the defense and the judgement. Run: npx tsx examples/dispute.ts
import { generateKeyPairSync } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AmsClient, createNotificationHandler, toMinorUnits, type DisputeNotification } from 'ams-cashier';
import { startAmsGateway } from 'ams-cashier/mocks';

const merchantKeys = generateKeyPairSync('rsa', { modulusLength: 2048 });
const gateway = await startAmsGateway({ clientId: 'SANDBOX_DEMO_MERCHANT', merchantPublicKey: merchantKeys.publicKey });
// With real credentials: { clientId, privateKey, alipayPublicKey, region: 'NA' } and no gateway.
const client = new AmsClient({
  clientId: 'SANDBOX_DEMO_MERCHANT',
  privateKey: merchantKeys.privateKey,
  alipayPublicKey: gateway.alipayPublicKey,
  baseUrl: gateway.url,
});

// The shop's notify endpoint. Disputes come without notifyType; onDispute gets them with an `outcome`:
// respond (defend or accept before respondBy), defended, won, lost, or pending (not final: look at it).
const seen: DisputeNotification[] = [];
let wake: () => void = () => {};
const shop = createServer(
  createNotificationHandler({
    client,
    path: '/alipay/notify',
    onPayment: () => {},
    onDispute: (n) => {
      // In a shop: record n.disputeId and n.paymentId with the order (they tie the DISPUTE rows of the settlement
      // report to it), and alert someone when n.outcome is 'respond'.
      seen.push(n);
      wake();
    },
  }),
);
await new Promise<void>((resolve) => shop.listen(0, '127.0.0.1', resolve));
const notifyUrl = `http://127.0.0.1:${(shop.address() as AddressInfo).port}/alipay/notify`;
/** Resolves once the shop has handled `count` dispute notifications, and prints the last one. */
const handled = async (count: number) => {
  await new Promise<void>((resolve) => {
    wake = () => seen.length >= count && resolve();
    wake();
  });
  const n = seen[count - 1]!;
  if (n.outcome === 'respond') {
    const days = Math.round((Date.parse(n.respondBy ?? '') - Date.parse(n.disputeTime ?? '')) / 86_400_000);
    console.log(`dispute ${n.disputeNotificationType}: ${n.disputeReasonMsg}; respond within ${days} days`);
  } else console.log(`dispute ${n.disputeNotificationType}: ${n.outcome}`);
};

try {
  // Before the payment: what will a buyer paying in CNY pay for a price in USD?
  const { quotes } = await client.inquireExchangeRate({ productCode: 'CASHIER_PAYMENT', sellCurrency: 'CNY', buyCurrency: 'USD' });
  const [buy, sell] = quotes[0]!.quoteCurrencyPair!.split('/');
  console.log(`rate: 1 ${buy} = ${quotes[0]!.quotePrice} ${sell} (${quotes[0]!.guaranteed ? 'guaranteed' : 'reference'})`);

  const amount = { currency: 'USD', value: toMinorUnits('49.00', 'USD') };
  const paid = await client.pay({
    productCode: 'CASHIER_PAYMENT',
    paymentRequestId: `dispute-example-${Date.now()}`,
    order: {
      referenceOrderId: 'order-42',
      orderDescription: 'Headphones',
      orderAmount: amount,
      extendInfo: { chinaExtraTransInfo: { businessType: '4', goodsInfo: 'Headphones^1', totalQuantity: '1' } },
    },
    paymentAmount: amount,
    paymentMethod: { paymentMethodType: 'ALIPAY_CN' },
    paymentRedirectUrl: 'https://merchant.example/return',
    paymentNotifyUrl: notifyUrl,
    env: { terminalType: 'WEB' },
    settlementStrategy: { settlementCurrency: 'USD' },
  });
  // Here the buyer pays, then disputes the payment with their bank; the embedded gateway plays both parts.
  await gateway.core.completePayment(paid.paymentId);
  await gateway.dispute(paid.paymentId, { reasonMsg: 'Goods not received' });
  await handled(1);
  const disputeId = seen[0]!.disputeId;

  // Antom's template comes prefilled with the transaction: complete it and send it back as the defense.
  const template = await client.downloadDisputeEvidence({ disputeId, disputeEvidenceType: 'DISPUTE_EVIDENCE_TEMPLATE' });
  console.log(`template: ${template.disputeEvidenceFormat}`);
  const defense = Buffer.from(template.disputeEvidence!, 'base64'); // in a shop: the completed letter, the tracking record
  const taken = await client.supplyDefenseDocument({ disputeId, disputeEvidence: defense.toString('base64') });
  console.log(`defense taken (${taken.result.resultCode})`);
  await handled(2);

  // Weeks later the card scheme decides; the gateway can do it now.
  await gateway.judgeDispute(disputeId);
  await handled(3);
} finally {
  await gateway.close();
  await new Promise<void>((resolve) => shop.close(() => resolve()));
}
