// What a doctor run reports: its checks, the verdict, and the facts one inquiry gives it.
import type { KeyObject } from 'node:crypto';
import type { AmsError } from '../errors';
import type { HttpResponse } from '../http/types';

/** One finding: `fix` says what to do when `ok` is false (null when there is nothing to do). */
export interface DoctorCheck {
  /** Stable: `private-key`, `network`, `request-signature`, `client-id`, `environment`, `access`, `alipay-public-key`, `clock`, `answer`. */
  name: string;
  ok: boolean;
  message: string;
  fix: string | null;
}

/** `ok` is true only when every check passed: Alipay accepted the signature and its answer verified. */
export interface DoctorReport {
  ok: boolean;
  checks: DoctorCheck[];
}

export interface DoctorInput {
  clientId: string;
  sandbox: boolean;
  /** Where the inquiry went. */
  url: string;
  /** The signed path. */
  path: string;
  keyVersion: string | null;
  agentToken: boolean;
  privateKey: KeyObject;
  alipayPublicKey: KeyObject;
  /** The proxy the environment names for `url` (no credentials), when there is one. */
  proxy: string | undefined;
  /** The HTTP answer as received, when one arrived. */
  response: HttpResponse | undefined;
  /** What the request pipeline made of it: the verified value, or the AmsError it threw. */
  outcome: { value: unknown } | { error: AmsError };
  /** This machine's clock just before sending and just after the answer arrived. */
  sentAt: Date | undefined;
  receivedAt: Date | undefined;
}

export const check = (name: string, ok: boolean, message: string, fix: string | null = null): DoctorCheck => ({ name, ok, message, fix });
