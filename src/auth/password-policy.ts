import { dictionary } from '@zxcvbn-ts/language-common';
import type { FieldProblem } from '../common/errors/api-exception';

/** Words an attacker tries first against this service (ASVS 6.2.11): product, domain, substances. */
const CONTEXT_WORDS = [
  'ppn',
  'clinic',
  'psychedelic',
  'ibogaine',
  'psilocybin',
  'ketamine',
] as const;

/**
 * The ~49,000 most common passwords of public breach corpora (zxcvbn's ranked list, shipped in
 * an npm package: no network call at run time), loaded once on first use (ASVS 6.2.4/6.2.12).
 */
let common: ReadonlySet<string> | undefined;
function commonPasswords(): ReadonlySet<string> {
  common ??= new Set(dictionary['passwords-common'].map((p) => String(p).toLowerCase()));
  return common;
}

/**
 * Problems with a password someone is about to set, beyond its length (the DTOs check that):
 * a common (breached) password, a context word, or the account's email or its local part.
 */
export function passwordProblems(
  password: string,
  email: string | null,
  field: string,
): FieldProblem[] {
  const lower = password.toLowerCase();
  const problems: FieldProblem[] = [];
  if (commonPasswords().has(lower)) {
    problems.push({ field, message: 'is one of the most common passwords; choose another' });
  }
  if (email) {
    const local = email.toLowerCase().split('@')[0] ?? '';
    if (lower.includes(email.toLowerCase()) || (local.length >= 4 && lower.includes(local))) {
      problems.push({ field, message: 'must not contain your email address' });
    }
  }
  const word = CONTEXT_WORDS.find((w) => lower.includes(w));
  if (word) problems.push({ field, message: `must not contain the word "${word}"` });
  return problems;
}

/** As `passwordProblems`, for a change: the new password must also differ from the current one. */
export function newPasswordProblems(
  newPassword: string,
  email: string,
  currentPassword: string,
): FieldProblem[] {
  const problems: FieldProblem[] =
    newPassword === currentPassword
      ? [{ field: 'newPassword', message: 'must differ from the current password' }]
      : [];
  return [...problems, ...passwordProblems(newPassword, email, 'newPassword')];
}
