import { TokenRevocationService } from '../../src/auth/token-revocation.service';
import { createUser, DEFAULT_TEST_PASSWORD, loginAs, loginPair } from '../factories/users';
import { startTestApp, type TestApp } from '../harness/test-app';

const UNAUTHENTICATED = {
  statusCode: 401,
  error: 'Unauthorized',
  message: expect.any(String) as string,
  code: 'unauthenticated',
};

describe('Authentication (e2e)', () => {
  let t: TestApp;

  beforeAll(async () => {
    // Many /auth calls from one IP in this file: lift the per-IP limit (tested elsewhere).
    t = await startTestApp({ env: { RATE_LIMIT_AUTH_PER_IP: '100000' } });
  });
  afterAll(() => t.close());

  const me = (token: string) => t.http().get('/me').set('authorization', `Bearer ${token}`);

  describe('POST /auth/login', () => {
    it('answers 200 with a Bearer token pair for the right password', async () => {
      const user = await createUser(t.dataSource);
      const res = await t
        .http()
        .post('/auth/login')
        .send({ email: user.email.toUpperCase(), password: DEFAULT_TEST_PASSWORD })
        .expect(200);
      expect(res.body).toEqual({
        accessToken: expect.stringMatching(/^[\w-]+\.[\w-]+\.[\w-]+$/) as string,
        refreshToken: expect.stringMatching(/^[\w-]{43}$/) as string,
        expiresIn: 900,
        tokenType: 'Bearer',
      });
      await me(res.body.accessToken as string).expect(200);
    });

    it('answers the same 401 body for a wrong password and an unknown email', async () => {
      const user = await createUser(t.dataSource);
      const wrong = await t
        .http()
        .post('/auth/login')
        .send({ email: user.email, password: 'not-the-password-at-all' })
        .expect(401);
      const unknown = await t
        .http()
        .post('/auth/login')
        .send({ email: 'nobody-here@example.test', password: 'not-the-password-at-all' })
        .expect(401);
      expect(wrong.body).toEqual(UNAUTHENTICATED);
      expect(unknown.body).toEqual(wrong.body);
    });

    it('takes a similar time for an unknown email and a wrong password (decoy hash)', async () => {
      const user = await createUser(t.dataSource);
      const time = async (email: string): Promise<number> => {
        const started = performance.now();
        await t
          .http()
          .post('/auth/login')
          .send({ email, password: 'wrong-password-xyz' })
          .expect(401);
        return performance.now() - started;
      };
      // Warm the decoy hash, then compare medians of a few runs.
      await time('warm-up@example.test');
      const known: number[] = [];
      const unknown: number[] = [];
      for (let i = 0; i < 3; i += 1) {
        known.push(await time(user.email));
        unknown.push(await time(`ghost-${i}@example.test`));
      }
      const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[1] ?? 0;
      // Both paths run one argon2 verification (tens of ms); without the decoy the unknown
      // email would answer in ~1 ms.
      expect(median(unknown)).toBeGreaterThan(median(known) * 0.4);
    });

    it('refuses a disabled user and a user without a password', async () => {
      const disabled = await createUser(t.dataSource, { disabled: true });
      const res = await t
        .http()
        .post('/auth/login')
        .send({ email: disabled.email, password: DEFAULT_TEST_PASSWORD })
        .expect(401);
      expect(res.body).toEqual(UNAUTHENTICATED);
      const invited = await createUser(t.dataSource, { password: null, activated: false });
      await t
        .http()
        .post('/auth/login')
        .send({ email: invited.email, password: DEFAULT_TEST_PASSWORD })
        .expect(401);
    });

    it('rejects unknown fields with 400 validation_failed', async () => {
      const res = await t
        .http()
        .post('/auth/login')
        .send({ email: 'a@example.test', password: 'x', tier: 'admin' })
        .expect(400);
      expect(res.body.code).toBe('validation_failed');
    });
  });

  describe('refresh tokens', () => {
    it('rotates: the new pair works, the old refresh token is spent', async () => {
      const user = await createUser(t.dataSource);
      const first = await loginPair(t, user);
      const second = await t
        .http()
        .post('/auth/refresh')
        .send({ refreshToken: first.refreshToken })
        .expect(200);
      expect(second.body.tokenType).toBe('Bearer');
      expect(second.body.refreshToken).not.toBe(first.refreshToken);
      await me(second.body.accessToken as string).expect(200);
      // Stored only as a hash.
      const stored: { n: string }[] = await t.dataSource.query(
        `SELECT count(*)::text AS n FROM refresh_tokens WHERE encode(token_hash, 'escape') = $1`,
        [first.refreshToken],
      );
      expect(stored[0]?.n).toBe('0');
    });

    it('reusing a spent refresh token revokes the whole family', async () => {
      const user = await createUser(t.dataSource);
      const first = await loginPair(t, user);
      const second = (
        await t.http().post('/auth/refresh').send({ refreshToken: first.refreshToken }).expect(200)
      ).body as { accessToken: string; refreshToken: string };
      const reuse = await t
        .http()
        .post('/auth/refresh')
        .send({ refreshToken: first.refreshToken })
        .expect(401);
      expect(reuse.body).toEqual(UNAUTHENTICATED);
      // The legitimate holder's newer tokens die too.
      await t.http().post('/auth/refresh').send({ refreshToken: second.refreshToken }).expect(401);
      await me(second.accessToken).expect(401);
      // Another session of the same user is untouched.
      await me(await loginAs(t, user)).expect(200);
    });

    it('answers 401 for an unknown or malformed refresh token', async () => {
      await t
        .http()
        .post('/auth/refresh')
        .send({ refreshToken: 'x'.repeat(43) })
        .expect(401);
      await t.http().post('/auth/refresh').send({ refreshToken: 'short' }).expect(401);
    });

    it('answers 401 once the session is older than SESSION_MAX_AGE, however recently refreshed', async () => {
      const user = await createUser(t.dataSource);
      const pair = await loginPair(t, user);
      const refreshed = await t
        .http()
        .post('/auth/refresh')
        .send({ refreshToken: pair.refreshToken })
        .expect(200);
      // The login was 30 days + 1 minute ago (the default SESSION_MAX_AGE is 30 days); its
      // newest refresh token is fresh and unspent.
      await t.dataSource.query(
        `UPDATE auth_sessions SET created_at = now() - interval '30 days 1 minute' WHERE user_id = $1`,
        [user.id],
      );
      await t
        .http()
        .post('/auth/refresh')
        .send({ refreshToken: (refreshed.body as { refreshToken: string }).refreshToken })
        .expect(401);
      // Nor is it listed among the user's open sessions any more.
      const sessions = await t
        .http()
        .get('/auth/sessions')
        .set('authorization', `Bearer ${(refreshed.body as { accessToken: string }).accessToken}`)
        .expect(200);
      expect((sessions.body as { items: unknown[] }).items).toEqual([]);
    });

    it('a session just under SESSION_MAX_AGE still refreshes', async () => {
      const user = await createUser(t.dataSource);
      const pair = await loginPair(t, user);
      await t.dataSource.query(
        `UPDATE auth_sessions SET created_at = now() - interval '29 days 23 hours' WHERE user_id = $1`,
        [user.id],
      );
      await t.http().post('/auth/refresh').send({ refreshToken: pair.refreshToken }).expect(200);
    });

    it('answers 401 for an expired refresh token', async () => {
      const user = await createUser(t.dataSource);
      const pair = await loginPair(t, user);
      await t.dataSource.query(
        `UPDATE refresh_tokens SET expires_at = now() - interval '1 second' WHERE user_id = $1`,
        [user.id],
      );
      await t.http().post('/auth/refresh').send({ refreshToken: pair.refreshToken }).expect(401);
    });
  });

  describe('logout', () => {
    it('POST /auth/logout → 204; the access token and the refresh token die at once', async () => {
      const user = await createUser(t.dataSource);
      const pair = await loginPair(t, user);
      const other = await loginPair(t, user);
      await me(pair.accessToken).expect(200);
      await t
        .http()
        .post('/auth/logout')
        .set('authorization', `Bearer ${pair.accessToken}`)
        .send({ refreshToken: pair.refreshToken })
        .expect(204);
      await me(pair.accessToken).expect(401);
      await t.http().post('/auth/refresh').send({ refreshToken: pair.refreshToken }).expect(401);
      // Only that session: the user's other login still works.
      await me(other.accessToken).expect(200);
    });

    it('logout without a body revokes the access token’s own session', async () => {
      const user = await createUser(t.dataSource);
      const pair = await loginPair(t, user);
      await t
        .http()
        .post('/auth/logout')
        .set('authorization', `Bearer ${pair.accessToken}`)
        .expect(204);
      await t.http().post('/auth/refresh').send({ refreshToken: pair.refreshToken }).expect(401);
    });

    it('POST /auth/logout-all → 204; every session of the caller is revoked', async () => {
      const user = await createUser(t.dataSource);
      const a = await loginPair(t, user);
      const b = await loginPair(t, user);
      await t
        .http()
        .post('/auth/logout-all')
        .set('authorization', `Bearer ${a.accessToken}`)
        .expect(204);
      for (const pair of [a, b]) {
        await me(pair.accessToken).expect(401);
        await t.http().post('/auth/refresh').send({ refreshToken: pair.refreshToken }).expect(401);
      }
      // Logging in again works.
      await me(await loginAs(t, user)).expect(200);
    });

    it('logout needs a token', async () => {
      const res = await t.http().post('/auth/logout').expect(401);
      expect(res.body).toEqual(UNAUTHENTICATED);
    });
  });

  describe('TokenRevocationService', () => {
    it('bumpTokenVersion: old access token 401, refresh yields a token with the new role', async () => {
      const user = await createUser(t.dataSource, { tier: 'user_free' });
      const pair = await loginPair(t, user);
      await t.dataSource.transaction(async (em) => {
        await em.query(
          `UPDATE user_profiles SET role_id = (SELECT id FROM ref_user_roles WHERE role_name = 'user_premium')
            WHERE user_id = $1`,
          [user.id],
        );
        await t.app.get(TokenRevocationService).bumpTokenVersion(user.id, em);
      });
      await me(pair.accessToken).expect(401);
      const refreshed = await t
        .http()
        .post('/auth/refresh')
        .send({ refreshToken: pair.refreshToken })
        .expect(200);
      const res = await me(refreshed.body.accessToken as string).expect(200);
      expect(res.body.tier).toBe('user_premium');
    });

    it('bumpTokenVersion inside a rolled-back transaction changes nothing', async () => {
      const user = await createUser(t.dataSource);
      const token = await loginAs(t, user);
      await expect(
        t.dataSource.transaction(async (em) => {
          await t.app.get(TokenRevocationService).bumpTokenVersion(user.id, em);
          throw new Error('rollback');
        }),
      ).rejects.toThrow('rollback');
      await me(token).expect(200);
    });

    it('revokeAllSessions (disable): access and refresh tokens both die', async () => {
      const user = await createUser(t.dataSource);
      const pair = await loginPair(t, user);
      await t.dataSource.transaction(async (em) => {
        await em.query(`UPDATE users SET disabled_at = now() WHERE id = $1`, [user.id]);
        await t.app.get(TokenRevocationService).revokeAllSessions(user.id, em);
      });
      await me(pair.accessToken).expect(401);
      await t.http().post('/auth/refresh').send({ refreshToken: pair.refreshToken }).expect(401);
    });

    it('a disabled user’s tokens stop working even without revocation', async () => {
      const user = await createUser(t.dataSource);
      const pair = await loginPair(t, user);
      await t.dataSource.query(`UPDATE users SET disabled_at = now() WHERE id = $1`, [user.id]);
      await me(pair.accessToken).expect(401);
      await t.http().post('/auth/refresh').send({ refreshToken: pair.refreshToken }).expect(401);
    });
  });

  describe('GET /me', () => {
    it('returns the contract shape, with tenant and clinics from the database', async () => {
      const user = await createUser(t.dataSource, { tier: 'owner', displayName: 'Dr. Allen' });
      const [tenant] = await t.dataSource.query<{ id: string }[]>(
        `INSERT INTO tenants (name) VALUES ('Clinic group') RETURNING id`,
      );
      const tenantId = tenant?.id ?? '';
      const clinics = await t.dataSource.query<{ id: string }[]>(
        `INSERT INTO clinics (tenant_id, name) VALUES ($1, 'North'), ($1, 'South') RETURNING id`,
        [tenantId],
      );
      await t.dataSource.query(
        `INSERT INTO tenant_members (tenant_id, user_id, role) VALUES ($1, $2, 'ADMIN')`,
        [tenantId, user.id],
      );
      await t.dataSource.query(
        `INSERT INTO clinic_members (tenant_id, clinic_id, user_id, role) VALUES ($1, $2, $4, 'ADMIN'), ($1, $3, $4, 'MEMBER')`,
        [tenantId, clinics[0]?.id, clinics[1]?.id, user.id],
      );
      const res = await me(await loginAs(t, user)).expect(200);
      expect(res.body).toEqual({
        id: user.id,
        email: user.email,
        displayName: 'Dr. Allen',
        platformRole: null,
        tier: 'owner',
        tierExpiresAt: null,
        tenant: { id: tenantId, role: 'ADMIN' },
        clinics: expect.arrayContaining([
          { id: clinics[0]?.id, role: 'ADMIN' },
          { id: clinics[1]?.id, role: 'MEMBER' },
        ]) as unknown,
      });
      expect(res.body.clinics).toHaveLength(2);
    });

    it('a user without tenancy: tenant null, clinics []; platform role shown', async () => {
      const admin = await createUser(t.dataSource, {
        tier: 'admin',
        platformRole: 'PLATFORM_ADMIN',
      });
      const res = await me(await loginAs(t, admin)).expect(200);
      expect(res.body).toMatchObject({
        platformRole: 'PLATFORM_ADMIN',
        tier: 'admin',
        tenant: null,
        clinics: [],
      });
    });

    it('an expired time-boxed tier can still log in and read /me (with tierExpiresAt)', async () => {
      const expiredAt = new Date(Date.now() - 60_000);
      const observer = await createUser(t.dataSource, {
        tier: 'beta_observer',
        tierExpiresAt: expiredAt,
      });
      const res = await me(await loginAs(t, observer)).expect(200);
      expect(res.body.tier).toBe('beta_observer');
      expect(res.body.tierExpiresAt).toBe(expiredAt.toISOString());
    });

    it('answers 401 without a token, with a garbage token and with a wrong scheme', async () => {
      expect((await t.http().get('/me').expect(401)).body).toEqual(UNAUTHENTICATED);
      await me('garbage').expect(401);
      await t.http().get('/me').set('authorization', 'Basic dXNlcjpwYXNz').expect(401);
    });
  });

  it('documents every auth route in OpenAPI under the auth tag, with 401/429 error bodies', async () => {
    const doc = (await t.http().get('/docs-json').expect(200)).body as {
      paths: Record<
        string,
        Record<string, { tags?: string[]; responses: Record<string, unknown> }>
      >;
    };
    const routes: [string, string][] = [
      ['/auth/login', 'post'],
      ['/auth/refresh', 'post'],
      ['/auth/logout', 'post'],
      ['/auth/logout-all', 'post'],
      ['/auth/magic-link', 'post'],
      ['/auth/magic-link/consume', 'post'],
      ['/auth/invitations/accept', 'post'],
      ['/me', 'get'],
    ];
    for (const [path, method] of routes) {
      const operation = doc.paths[path]?.[method];
      expect(operation?.tags).toContain('auth');
      expect(operation?.responses).toHaveProperty('401');
      if (path.startsWith('/auth/')) expect(operation?.responses).toHaveProperty('429');
    }
  });
});
