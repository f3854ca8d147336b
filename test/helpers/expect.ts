// Small assertion helpers shared by test files.
import { expect } from 'vitest';
import { AmsValidationError } from '../../src/errors';

/** Runs fn, expecting an AmsValidationError; returns it for assertions on its issues. */
export function rejects(fn: () => unknown): AmsValidationError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(AmsValidationError);
    return e as AmsValidationError;
  }
  throw new Error('expected an AmsValidationError, nothing was thrown');
}
