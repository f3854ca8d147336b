// Type-level check of the installed tarball from an ESM file (node16 / bundler resolution), under the strictest settings.
import { AmsClient, AmsError, VERSION, cashierRedirect, type PayRequest, type PayResponse } from 'ams-cashier';

export async function pay(client: AmsClient, request: PayRequest): Promise<PayResponse> {
  return client.pay(request);
}
// Our own pay answer goes to our own redirect helper as it is, and so does its form (exactOptionalPropertyTypes).
export async function redirect(client: AmsClient, request: PayRequest): Promise<string> {
  const res = await client.pay(request);
  const form = res.redirectActionForm;
  return form ? cashierRedirect(form).html : cashierRedirect(res).html;
}
export const version: string = VERSION;
export const isAms = (e: unknown): boolean => e instanceof AmsError;
