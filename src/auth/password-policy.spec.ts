import { newPasswordProblems, passwordProblems } from './password-policy';

describe('password policy', () => {
  it('refuses breached/common passwords, case-insensitively', () => {
    expect(passwordProblems('tidal granite orchard lantern', null, 'password')).toEqual([]);
    expect(passwordProblems('Password1', null, 'password').map((p) => p.message)).toContain(
      'is one of the most common passwords; choose another',
    );
    expect(passwordProblems('1q2w3e4r5t', null, 'password')[0]?.message).toMatch(/most common/);
  });

  it('refuses context words and the email address', () => {
    expect(passwordProblems('my-clinic-is-great', null, 'password')[0]?.message).toBe(
      'must not contain the word "clinic"',
    );
    expect(passwordProblems('jeanne.moreau-2026', 'jeanne.moreau@x.test', 'p')[0]?.message).toBe(
      'must not contain your email address',
    );
    expect(passwordProblems('tidal granite orchard lantern', 'jeanne.moreau@x.test', 'p')).toEqual(
      [],
    );
  });

  it('a new password must differ from the current one', () => {
    expect(newPasswordProblems('same-thing-twice', 'a@b.co', 'same-thing-twice')).toContainEqual({
      field: 'newPassword',
      message: 'must differ from the current password',
    });
  });
});
