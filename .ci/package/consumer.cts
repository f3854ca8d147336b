// Type-level check of the installed tarball from a CommonJS file (node16 resolution).
import { AmsClient, type PayResponse } from 'ams-cashier';

export const make = (c: ConstructorParameters<typeof AmsClient>[0]): AmsClient => new AmsClient(c);
export const answer = (r: PayResponse): string => r.result.resultStatus;
