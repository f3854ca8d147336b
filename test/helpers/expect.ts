// Small assertion helpers shared by test files.
import { expect } from 'vitest';
import { AmsValidationError } from '../../src/errors';

/** Runs fn, expecting it to throw a `Kind`; returns the error for assertions on its fields. */
export function thrown<E extends Error>(Kind: abstract new (...args: never[]) => E, fn: () => unknown): E {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(Kind);
    return e as E;
  }
  throw new Error(`expected ${Kind.name}, nothing was thrown`);
}

/** Runs fn, expecting an AmsValidationError; returns it for assertions on its issues. */
export function rejects(fn: () => unknown): AmsValidationError {
  return thrown(AmsValidationError, fn);
}

/** Awaits p, expecting it to reject with a `Kind`; returns the error for assertions on its fields. */
export async function rejectsWith<E extends Error>(Kind: abstract new (...args: never[]) => E, p: Promise<unknown>): Promise<E> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(Kind);
  return err as E;
}
