// The shape of the gateway's API answers before they are signed and sent: result objects, refusals, headers.
import type { ValidationIssue } from '../src/errors';

/** An AMS answer body and whether it is signed. */
export interface ApiAnswer {
  body: Record<string, unknown>;
  /** Unsigned answers (INVALID_SIGNATURE, unknown client) carry no signature headers. */
  signed: boolean;
}

/** Refuses the current call with an `F` result (and records the refusal on the timeline). */
export type Reject = (resultCode: string, message: string, signed: boolean) => ApiAnswer;

export const JSON_HEADERS: Readonly<Record<string, string>> = { 'content-type': 'application/json; charset=UTF-8' };
export const HTML_HEADERS: Readonly<Record<string, string>> = { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' };

export function result(resultStatus: 'S' | 'F' | 'U', resultCode: string, resultMessage: string) {
  return { resultStatus, resultCode, resultMessage };
}

/** The first `max` validation issues as one line for a PARAM_ILLEGAL message. */
export function describeIssues(issues: readonly ValidationIssue[], max = 5): string {
  return issues
    .slice(0, max)
    .map((i) => `${i.field || '(body)'} ${i.message}`)
    .join('; ');
}
