// Type-level check of the installed tarball from an ESM file (node16 / bundler resolution).
import { AmsClient, AmsError, VERSION, type PayRequest, type PayResponse } from 'ams-cashier';

export async function pay(client: AmsClient, request: PayRequest): Promise<PayResponse> {
  return client.pay(request);
}
export const version: string = VERSION;
export const isAms = (e: unknown): boolean => e instanceof AmsError;
