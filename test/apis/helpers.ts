// Shared pieces of the new-API tests: msw playing Alipay at a path, and "refused before sending, naming these fields".
import { http } from 'msw';
import type { SetupServer } from 'msw/node';
import { expect } from 'vitest';
import { AmsValidationError } from '../../src/index';
import { amsResponse } from '../helpers/ams-responder';

export const CLIENT = 'SANDBOX_5Y055A2Y2F6K05235';
export const ORIGIN = 'https://open-na.alipay.com';
export const S = { resultCode: 'SUCCESS', resultStatus: 'S', resultMessage: 'success' };
export const U = { resultCode: 'UNKNOWN_EXCEPTION', resultStatus: 'U', resultMessage: 'unknown' };
export const F = (code: string) => ({ resultCode: code, resultStatus: 'F', resultMessage: code.toLowerCase() });

/** Answers the full signed `path` with the bodies in order (the last repeats); returns the request bodies seen. */
export function answerAt(server: SetupServer, path: string, bodies: unknown[], clientId = CLIENT): string[] {
  const seen: string[] = [];
  server.use(
    http.post(ORIGIN + path, async ({ request }) => {
      seen.push(await request.text());
      return amsResponse(bodies[Math.min(seen.length - 1, bodies.length - 1)], { path, clientId });
    }),
  );
  return seen;
}

/** The call is refused with AmsValidationError whose fields are exactly `fields`. */
export async function expectRefused(call: Promise<unknown>, fields: string[], message?: RegExp): Promise<void> {
  const err = await call.then(
    () => new Error('resolved'),
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AmsValidationError);
  expect((err as AmsValidationError).fields).toEqual(fields);
  if (message) expect((err as Error).message).toMatch(message);
}
