// Runs the example shop. With AMS_CLIENT_ID (and key files) it talks to Alipay; without, to the embedded gateway.
//   tsx examples/express-merchant/main.ts
//   AMS_CLIENT_ID=SANDBOX_… AMS_PRIVATE_KEY_FILE=… AMS_ALIPAY_PUBLIC_KEY_FILE=… AMS_REGION=NA PUBLIC_URL=https://… tsx examples/express-merchant/main.ts
import { readFileSync } from 'node:fs';
import { AmsClient, type Region } from 'ams-cashier';
import { createMerchantApp } from './app.js';
import { startEmbeddedShop } from './embedded.js';

const port = Number(process.env.PORT ?? 3000);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`example shop: PORT must be a port number (0 to 65535), not ${JSON.stringify(process.env.PORT)}`);
  process.exit(2);
}

/** A port another program holds is the usual first-run problem: say so, and how to pick another, not a stack trace. */
function cannotListen(err: unknown): never {
  const code = (err as NodeJS.ErrnoException).code;
  console.error(
    code === 'EADDRINUSE'
      ? `example shop: port ${port} on 127.0.0.1 is already in use by another program (a second shop?). Stop it, or pick another port: PORT=3001 npx tsx examples/express-merchant/main.ts`
      : `example shop: cannot listen on 127.0.0.1:${port}: ${err instanceof Error ? err.message : String(err)}`,
  );
  process.exit(1);
}

if (process.env.AMS_CLIENT_ID) {
  const region = (process.env.AMS_REGION ?? 'NA') as Region;
  const need = (name: string): string => {
    const value = process.env[name];
    if (!value) throw new Error(`${name} is required with AMS_CLIENT_ID`);
    return value;
  };
  const client = new AmsClient({
    clientId: process.env.AMS_CLIENT_ID,
    privateKey: readFileSync(need('AMS_PRIVATE_KEY_FILE'), 'utf8'),
    alipayPublicKey: readFileSync(need('AMS_ALIPAY_PUBLIC_KEY_FILE'), 'utf8'),
    region,
  });
  // Alipay must reach the notify URL: set PUBLIC_URL to the shop's public origin (a tunnel in development).
  const { app } = createMerchantApp({ client, ...(process.env.PUBLIC_URL ? { publicUrl: process.env.PUBLIC_URL } : {}) });
  const server = app.listen(port, '127.0.0.1', (err?: Error) => {
    if (err) cannotListen(err);
    console.log(`shop on http://127.0.0.1:${port} → Alipay ${region} (${client.sandbox ? 'sandbox' : 'production'})`);
  });
  const stop = (): void => void server.close();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
} else {
  const shop = await startEmbeddedShop({ merchantPort: port }).catch(cannotListen);
  console.log(`shop on ${shop.merchantUrl} → embedded gateway ${shop.gateway.url}. Ctrl-C to stop.`);
  const stop = (): void => void shop.close();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
