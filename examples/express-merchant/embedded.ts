// Starts the example shop against the embedded gateway on loopback: what `npm start` and the tests run.
import { generateKeyPairSync } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AmsClient, type KeyInput, type Logger } from 'ams-cashier';
import { startAmsGateway, type AmsGateway } from 'ams-cashier/mocks';
import { createMerchantApp, type MerchantApp, type MerchantAppOptions } from './app.js';

export interface EmbeddedShop {
  gateway: AmsGateway;
  client: AmsClient;
  merchant: MerchantApp;
  /** e.g. http://127.0.0.1:53100 */
  merchantUrl: string;
  /** Closes the shop and the gateway (timers, sockets). */
  close(): Promise<void>;
}

export interface EmbeddedShopOptions {
  clientId?: string;
  /** Alipay's notification retry schedule is divided by this. Default 1000 (2 min → 120 ms). */
  notifyRetryCompression?: number;
  logger?: Logger;
  onEvent?: MerchantAppOptions['onEvent'];
  /** Default 0 (any free port). */
  merchantPort?: number;
  /** The gateway's "Alipay" private key (default: a fresh one), e.g. to test the notify endpoint with it. */
  alipayPrivateKey?: KeyInput;
  /** The shop's test routes (MerchantAppOptions.testRoutes). */
  testRoutes?: boolean;
}

export async function startEmbeddedShop(options: EmbeddedShopOptions = {}): Promise<EmbeddedShop> {
  const clientId = options.clientId ?? 'SANDBOX_DEMO_MERCHANT';
  // The merchant's key pair: the public half is what a merchant uploads to Alipay; here, to the gateway.
  const merchantKeys = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const gateway = await startAmsGateway({
    clientId,
    merchantPublicKey: merchantKeys.publicKey,
    contractSettlementCurrency: 'USD',
    notifyRetryCompression: options.notifyRetryCompression ?? 1000,
    ...(options.alipayPrivateKey !== undefined ? { alipayPrivateKey: options.alipayPrivateKey } : {}),
  });
  const client = new AmsClient({
    clientId,
    privateKey: merchantKeys.privateKey,
    alipayPublicKey: gateway.alipayPublicKey,
    baseUrl: gateway.url,
    ...(options.logger ? { logger: options.logger } : {}),
  });
  const merchant = createMerchantApp({
    client,
    ...(options.onEvent ? { onEvent: options.onEvent } : {}),
    ...(options.testRoutes ? { testRoutes: true } : {}),
  });
  const server: Server = await new Promise((resolve, reject) => {
    const s = merchant.app.listen(options.merchantPort ?? 0, '127.0.0.1', (err?: Error) => (err ? reject(err) : resolve(s)));
  });
  const merchantUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  let closing: Promise<void> | undefined;
  return {
    gateway,
    client,
    merchant,
    merchantUrl,
    close() {
      closing ??= (async () => {
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        });
        await gateway.close();
      })();
      return closing;
    },
  };
}
