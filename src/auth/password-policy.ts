import type { FieldProblem } from '../common/errors/api-exception';

/** Words an attacker tries first against this service (ASVS 6.2.11): product, domain, substances. */
const CONTEXT_WORDS = [
  'ppn',
  'clinic',
  'psychedelic',
  'ibogaine',
  'psilocybin',
  'ketamine',
  'password',
] as const;

/**
 * Problems with a new password beyond its length (the DTO checks that): it must not contain
 * the account's email or its local part, nor a context word, and must differ from the old one.
 */
export function newPasswordProblems(
  newPassword: string,
  email: string,
  currentPassword: string,
): FieldProblem[] {
  const lower = newPassword.toLowerCase();
  const local = email.toLowerCase().split('@')[0] ?? '';
  const problems: FieldProblem[] = [];
  if (newPassword === currentPassword)
    problems.push({ field: 'newPassword', message: 'must differ from the current password' });
  if (lower.includes(email.toLowerCase()) || (local.length >= 4 && lower.includes(local)))
    problems.push({ field: 'newPassword', message: 'must not contain your email address' });
  const word = CONTEXT_WORDS.find((w) => lower.includes(w));
  if (word) problems.push({ field: 'newPassword', message: `must not contain the word "${word}"` });
  return problems;
}
