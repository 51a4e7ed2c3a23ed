import { Logger } from '@nestjs/common';
import { createUser, loginAs } from '../factories/users';
import { startTestApp, type TestApp } from '../harness/test-app';

/** ASVS V16: refused requests leave a security log line naming who, what and why — never the token. */
describe('Security event logging (e2e)', () => {
  let t: TestApp;
  let warn: jest.SpyInstance;

  beforeAll(async () => {
    t = await startTestApp();
  });
  beforeEach(() => {
    warn = jest.spyOn(Logger.prototype, 'warn');
  });
  afterEach(() => warn.mockRestore());
  afterAll(() => t.close());

  const refusals = (): Record<string, unknown>[] =>
    warn.mock.calls
      .map((call: unknown[]) => call[0] as Record<string, unknown>)
      .filter((entry) => entry?.event === 'access_refused');

  it('logs a 401 without a user and without the token', async () => {
    await t.http().get('/me').set('authorization', 'Bearer not-a-token').expect(401);
    const [entry] = refusals();
    expect(entry).toMatchObject({
      event: 'access_refused',
      status: 401,
      code: 'unauthenticated',
      userId: null,
      route: '/me',
    });
    expect(JSON.stringify(warn.mock.calls)).not.toContain('not-a-token');
  });

  it('logs a 403 with the account, the route and the denial code', async () => {
    const user = await createUser(t.dataSource, { tier: 'user_free' });
    const token = await loginAs(t, user);
    warn.mockClear();
    await t.http().get('/analytics/outcomes').set('authorization', `Bearer ${token}`).expect(403);
    const [entry] = refusals();
    expect(entry).toMatchObject({
      status: 403,
      code: 'feature_denied',
      userId: user.id,
      route: '/analytics/outcomes',
    });
    expect(JSON.stringify(warn.mock.calls)).not.toContain(token);
  });
});

describe('Login events (e2e)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('logs a failed login with the user id (or an email digest), never the password or the address', async () => {
    const user = await createUser(t.dataSource, { tier: 'user_pro' });
    const warn = jest.spyOn(Logger.prototype, 'warn');
    try {
      await t
        .http()
        .post('/auth/login')
        .send({ email: user.email, password: 'wrong-password-123' })
        .expect(401);
      await t
        .http()
        .post('/auth/login')
        .send({ email: 'nobody@nowhere.test', password: 'wrong-password-123' })
        .expect(401);
      const events = warn.mock.calls
        .map((call: unknown[]) => call[0] as Record<string, unknown>)
        .filter((entry) => entry?.event === 'login_failed');
      expect(events).toHaveLength(2);
      expect(events[0]).toMatchObject({
        userId: user.id,
        emailSha256: expect.stringMatching(/^[0-9a-f]{16}$/) as string,
      });
      expect(events[1]).toMatchObject({ userId: null });
      const logged = JSON.stringify(warn.mock.calls);
      expect(logged).not.toContain('wrong-password-123');
      expect(logged).not.toContain('nobody@nowhere.test');
    } finally {
      warn.mockRestore();
    }
  });
});
