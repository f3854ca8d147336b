// The gateway's options go through the package's one validator: a misspelt option is refused, never ignored.
import { describe, expect, it } from 'vitest';
import { AmsConfigError } from '../../src/errors';
import { createGatewayCore, startAmsGateway } from '../../mocks/index';
import { createAmsHandlers } from '../../mocks/msw';

describe('gateway options', () => {
  it('a misspelt option is an AmsConfigError naming the option it was meant to be, in every form', async () => {
    await expect(startAmsGateway({ maxBodyByte: 10 } as never)).rejects.toThrow(
      'Invalid startAmsGateway config: unknown option "maxBodyByte" (did you mean "maxBodyBytes"?)',
    );
    await expect(startAmsGateway({ paymentPnding: true } as never)).rejects.toThrow(/did you mean "paymentPending"\?/);
    expect(() => createAmsHandlers({ baseURL: 'http://127.0.0.1:8080' } as never)).toThrow(/did you mean "baseUrl"\?/);
    expect(() => createGatewayCore({ fault: {} } as never)).toThrow(AmsConfigError);
    expect(() => createGatewayCore({ fault: {} } as never)).toThrow(/did you mean "faults"\?/);
  });

  it('every documented option is taken', async () => {
    const gateway = await startAmsGateway({ port: 0, host: '127.0.0.1', maxBodyBytes: 4096, paymentPending: true, notifyTimeoutMs: 1000 });
    try {
      expect(gateway.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    } finally {
      await gateway.close();
    }
    expect(createAmsHandlers({ baseUrl: 'http://127.0.0.1:8080', region: 'NA' }).length).toBeGreaterThan(0);
  });
});
