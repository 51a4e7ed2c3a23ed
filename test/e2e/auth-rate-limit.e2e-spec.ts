import { createUser, DEFAULT_TEST_PASSWORD } from '../factories/users';
import { startTestApp, type TestApp } from '../harness/test-app';

function expectRateLimited(res: {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}): void {
  expect(res.status).toBe(429);
  expect(res.body).toMatchObject({
    statusCode: 429,
    error: 'Too Many Requests',
    code: 'rate_limited',
  });
  const retryAfter = Number(res.headers['retry-after']);
  expect(Number.isInteger(retryAfter)).toBe(true);
  expect(retryAfter).toBeGreaterThanOrEqual(1);
}

describe('Rate limits (e2e)', () => {
  describe('per IP on /auth/*, stored in PostgreSQL', () => {
    let a: TestApp;
    let b: TestApp;
    const env = { RATE_LIMIT_AUTH_PER_IP: '5', RATE_LIMIT_AUTH_WINDOW: '60' };

    beforeAll(async () => {
      a = await startTestApp({ env });
      // A second instance on the same database: the counters are shared.
      b = await startTestApp({ env, database: a.database });
    });
    afterAll(async () => {
      await b.app.close();
      await a.close();
    });

    it('counts every /auth route together, across instances; then 429 with Retry-After', async () => {
      const token = 'A'.repeat(43);
      await a.http().post('/auth/refresh').send({ refreshToken: token }).expect(401);
      await a
        .http()
        .post('/auth/login')
        .send({ email: 'x@example.test', password: 'wrong' })
        .expect(401);
      await b.http().post('/auth/magic-link').send({ email: 'x@example.test' }).expect(202);
      await b.http().post('/auth/magic-link/consume').send({ token }).expect(401);
      await a.http().post('/auth/invitations/accept').send({ token }).expect(401);
      for (const res of [
        await a.http().post('/auth/refresh').send({ refreshToken: token }),
        await b.http().post('/auth/invitations/accept').send({ token }),
        await b.http().post('/auth/magic-link').send({ email: 'x@example.test' }),
      ]) {
        expectRateLimited(res);
        expect(Number(res.headers['retry-after'])).toBeLessThanOrEqual(60);
      }
      // Routes outside /auth are not limited by it.
      await a.http().get('/health').expect(200);
    });
  });

  describe('failed logins per submitted email', () => {
    let t: TestApp;

    beforeAll(async () => {
      t = await startTestApp({
        env: {
          RATE_LIMIT_LOGIN_FAILURES: '3',
          RATE_LIMIT_LOGIN_WINDOW: '900',
          RATE_LIMIT_AUTH_PER_IP: '100000',
        },
      });
    });
    afterAll(() => t.close());

    const login = (email: string, password: string) =>
      t.http().post('/auth/login').send({ email, password });

    it('after N failures even the right password answers 429 (case-insensitive email)', async () => {
      const user = await createUser(t.dataSource);
      for (let i = 0; i < 3; i += 1) {
        await login(i === 1 ? user.email.toUpperCase() : user.email, 'wrong-password').expect(401);
      }
      const res = await login(user.email, DEFAULT_TEST_PASSWORD);
      expectRateLimited(res);
      expect(Number(res.headers['retry-after'])).toBeGreaterThan(800);
      // Another account is not affected.
      const other = await createUser(t.dataSource);
      await login(other.email, DEFAULT_TEST_PASSWORD).expect(200);
    });

    it('counts unknown emails the same way (no enumeration through the limit)', async () => {
      for (let i = 0; i < 3; i += 1)
        await login('ghost@example.test', 'wrong-password').expect(401);
      expectRateLimited(await login('ghost@example.test', 'wrong-password'));
    });

    it('limits magic-link requests per email too, still without revealing accounts', async () => {
      const user = await createUser(t.dataSource);
      for (const email of [user.email, 'nobody-x@example.test']) {
        for (let i = 0; i < 3; i += 1)
          await t.http().post('/auth/magic-link').send({ email }).expect(202);
        expectRateLimited(await t.http().post('/auth/magic-link').send({ email }));
      }
    });
  });
});
