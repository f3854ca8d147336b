// An AlipayCN cross-border order declared to Chinese customs: pay → success → declare → inquire. Run: npx tsx examples/customs.ts
import { generateKeyPairSync } from 'node:crypto';
import { AmsClient, toMinorUnits } from 'ams-cashier';
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
  const amount = { currency: 'CNY', value: toMinorUnits('199.00', 'CNY') };
  const paid = await client.pay({
    productCode: 'CASHIER_PAYMENT',
    paymentRequestId: `customs-example-${Date.now()}`,
    order: {
      referenceOrderId: 'order-cbec-1',
      orderDescription: 'Milk powder',
      orderAmount: amount,
      extendInfo: { chinaExtraTransInfo: { businessType: '4', goodsInfo: 'Milk powder^2', totalQuantity: '2' } },
    },
    paymentAmount: amount,
    paymentMethod: { paymentMethodType: 'ALIPAY_CN' },
    paymentRedirectUrl: 'https://merchant.example/return',
    env: { terminalType: 'WEB' },
    settlementStrategy: { settlementCurrency: 'USD' },
  });
  // Here the buyer pays at the cashier; the embedded gateway lets us play that part.
  await gateway.core.completePayment(paid.paymentId);
  const status = await client.inquiryPayment({ paymentId: paid.paymentId });
  console.log(`payment ${status.paymentStatus}`);

  // Declare what the payment allows (its customsDeclarationAmount, in CNY); the id is at most 32 characters.
  const declarationRequestId = `decl-${Date.now()}`;
  const taken = await client.declare({
    declarationRequestId,
    paymentId: paid.paymentId,
    declarationAmount: amount,
    customs: { customsCode: 'ZONGSHU', region: 'CN' },
    merchantCustomsInfo: { merchantCustomsCode: 'MERCHANT_CUSTOMS_CODE', merchantCustomsName: 'Merchant Co.' },
    splitOrder: false,
  });
  // S means only "taken": what customs decides comes from the inquiry.
  console.log(`declaration taken (${taken.result.resultCode}): customsPaymentId ${taken.customsPaymentId}`);

  for (let i = 0; i < 5; i++) {
    const { declarationRecords } = await client.inquiryDeclarationRequests({ declarationRequestIds: [declarationRequestId] });
    const status = declarationRecords[0]?.declarationRequestStatus;
    console.log(`declaration ${status}`);
    if (status === 'SUCCESS') break;
    await new Promise((resolve) => setTimeout(resolve, 50)); // in production: minutes apart
  }
} finally {
  await gateway.close();
}
