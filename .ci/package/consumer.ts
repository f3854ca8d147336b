// Type-level check of the installed tarball under the oldest setup: moduleResolution node (10), no esModuleInterop.
import { AmsClient, toMinorUnits, type AmsClientConfig } from 'ams-cashier';

export const make = (c: AmsClientConfig): AmsClient => new AmsClient(c);
export const cents: string = toMinorUnits('19.99', 'USD');
