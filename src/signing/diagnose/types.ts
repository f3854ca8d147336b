// What a signature diagnosis takes and gives: the case, the keys, the verdict, and the changes a variant needed.
import type { KeyObject } from 'node:crypto';

export interface VerifyCase {
  method: string;
  path: string;
  clientId: string;
  time: string;
  /** The body exactly as received or sent. */
  body: Uint8Array;
  /** A Signature header value (`algorithm=RSA256,keyVersion=1,signature=…`), or the bare signature. */
  signature: string;
}

export interface DiagnoseKeys {
  /** The key the signature is checked with (Alipay's public key, for responses and notifications). */
  publicKey: KeyObject;
  /** The merchant's own public key, when known: to recognise it used in place of Alipay's. */
  merchantPublicKey?: KeyObject | undefined;
}

export type Dimension = 'signature' | 'key' | 'method' | 'path' | 'clientId' | 'time' | 'body' | 'layout';

/** One difference between what was given and what was signed. */
export interface Change {
  dimension: Dimension;
  /** Stable id, e.g. `body.trailing-newline-removed`, `path.sandbox-added`, `signature.double-encoded`. */
  id: string;
  /** What the variant is, e.g. "the body without its trailing newline". */
  variant: string;
  /** What it means and what to do. */
  cause: string;
}

/** Stable codes for the verdict. */
export type CauseCode =
  | 'valid'
  | 'variant_found'
  | 'own_public_key'
  | 'signed_by_merchant_key'
  | 'wrong_key'
  | 'signature_length'
  | 'wrong_algorithm'
  | 'content_differs'
  | 'malformed_signature';

export interface Diagnosis {
  /** Whether the signature verifies exactly as given (what AMS would decide). */
  valid: boolean;
  code: CauseCode;
  /** One or two sentences: the most likely cause and what to do. */
  message: string;
  /** The variant that verifies, when one was found: every change it needed. */
  match?: { changes: Change[]; content: string } | undefined;
  /** Whether the signature was made with the private half of the given public key (RSA recovery), when known. */
  keyMatchesSignature: boolean | undefined;
  /** Side notes (e.g. the signature is not URL-encoded in the header). */
  notes: string[];
  /** How many variants were tried. */
  tried: number;
}

/** A candidate value and the changes that lead to it from the value given. */
export interface Variant<T> {
  value: T;
  changes: Change[];
}

/** A change of one dimension, with its stable id `<dimension>.<id>`. */
export const change = (dimension: Dimension, id: string, variant: string, cause: string): Change => ({
  dimension,
  id: `${dimension}.${id}`,
  variant,
  cause,
});
