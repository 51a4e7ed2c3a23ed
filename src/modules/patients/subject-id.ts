import { randomInt } from 'node:crypto';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
export const SUBJECT_ID_LENGTH = 10;
export const TEST_SUBJECT_PREFIX = 'TEST-';

/**
 * A patient's pseudonymous subject id (PRODUCT.md §3): 10 upper-case alphanumerics from the
 * CSPRNG (36^10 ≈ 3.7e15 values), `TEST-` prefixed for test records. Uniqueness is the
 * database's (unique index); callers retry on a collision.
 */
export function generateSubjectId(isTest: boolean): string {
  let id = '';
  for (let i = 0; i < SUBJECT_ID_LENGTH; i++) id += ALPHABET[randomInt(ALPHABET.length)];
  return isTest ? `${TEST_SUBJECT_PREFIX}${id}` : id;
}
