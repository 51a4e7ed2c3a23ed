import { createHmac, createPrivateKey, generateKeyPairSync } from 'node:crypto';
import { signJwt, type JwtPayload } from '../../src/auth/jwt/jwt';
import { createUser, loginPair } from '../factories/users';
import { startTestApp, testJwtKeys, type TestApp } from '../harness/test-app';
import { fillPath, loadInventory, type SweepRoute } from '../security/route-inventory';
import { PARAM_VALUES } from '../security/schema-values';
import { describeCall, report, send } from '../security/sweep';

const b64 = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');
const claimsOf = (token: string): Record<string, unknown> =>
  JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString()) as Record<
    string,
    unknown
  >;
const now = (): number => Math.floor(Date.now() / 1000);

/**
 * JWT and session attacks (OWASP API2, ASVS V7/V9), swept over every authenticated route of
 * the inventory: a bad token must answer 401 on all of them, not just on GET /me. The single
 * route variants of most attacks are in auth-tokens.e2e-spec.ts (alg none, HS256 with the
 * public key, wrong key, expired, nbf, iss/aud) and auth.e2e-spec.ts (logout, logout-all,
 * refresh reuse, disable); this suite adds tampered privilege claims and the lifecycle ones
 * (logout, disabled, token version bumped) through the admin API.
 */
describe('Security: JWT and session attacks (e2e)', () => {
  let t: TestApp;
  let routes: SweepRoute[];
  const privateKey = createPrivateKey(testJwtKeys().privateKey);
  let admin: { accessToken: string; refreshToken: string };

  beforeAll(async () => {
    t = await startTestApp();
    routes = (await loadInventory(t)).filter((r) => r.access !== 'public');
    admin = await loginPair(
      t,
      await createUser(t.dataSource, { tier: 'admin', platformRole: 'PLATFORM_ADMIN' }),
    );
  }, 120_000);
  afterAll(() => t?.close());

  /** Every authenticated route with a well-formed path: the token must be refused before anything else. */
  async function sweep401(label: string, token: string | undefined): Promise<number> {
    const failures: string[] = [];
    for (const route of routes) {
      const values = Object.fromEntries(
        route.pathParams.map((p) => [p, PARAM_VALUES[p] ?? '00000000-0000-4000-8000-000000000001']),
      );
      const call = {
        method: route.method,
        path: fillPath(route.path, values),
        token,
        body: route.body ? {} : undefined,
      };
      const answer = await send(t, call);
      const body = answer.body as { code?: string } | null;
      if (answer.status !== 401 || body?.code !== 'unauthenticated')
        failures.push(`${describeCall(call)} → ${answer.status} ${answer.text}`);
    }
    expect({ label, failures }).toEqual({ label, failures: [] });
    return routes.length;
  }

  it('forged, tampered and malformed tokens answer 401 on every authenticated route', async () => {
    const user = await createUser(t.dataSource);
    const valid = (await loginPair(t, user)).accessToken;
    const claims = claimsOf(valid);
    const [header, , signature] = valid.split('.');
    const withClaims = (patch: Record<string, unknown>): JwtPayload => ({ ...claims, ...patch });
    const hs256 = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64(claims)}`;
    const attacks: Record<string, string | undefined> = {
      'no token': undefined,
      garbage: 'not.a.jwt',
      'alg none': `${b64({ alg: 'none', typ: 'JWT' })}.${b64(claims)}.`,
      'HS256 with the public key': `${hs256}.${createHmac('sha256', testJwtKeys().publicKey).update(hs256).digest('base64url')}`,
      'another key': signJwt(claims, generateKeyPairSync('ed25519').privateKey),
      'tampered tier claim': `${header}.${b64(withClaims({ tier: 'admin' }))}.${signature}`,
      'tampered platformRole claim': `${header}.${b64(withClaims({ platformRole: 'PLATFORM_ADMIN' }))}.${signature}`,
      'tampered sub (the admin)': `${header}.${b64(withClaims({ sub: claimsOf(admin.accessToken).sub }))}.${signature}`,
      expired: signJwt(withClaims({ iat: now() - 3600, exp: now() - 60 }), privateKey),
      'not yet valid': signJwt(withClaims({ nbf: now() + 600 }), privateKey),
      'wrong iss': signJwt(withClaims({ iss: 'someone-else' }), privateKey),
      'wrong aud': signJwt(withClaims({ aud: 'another-api' }), privateKey),
    };
    let cases = 0;
    for (const [label, token] of Object.entries(attacks)) cases += await sweep401(label, token);
    report(
      `[security-jwt] ${Object.keys(attacks).length} forged token kinds × ${routes.length} routes = ${cases} cases, all 401`,
    );
    // Control: the untouched token still works.
    expect((await send(t, { method: 'GET', path: '/me', token: valid })).status).toBe(200);
  }, 120_000);

  it('privilege claims added to a correctly signed token are ignored: roles come from the database', async () => {
    const user = await createUser(t.dataSource, { tier: 'user_free' });
    const claims = claimsOf((await loginPair(t, user)).accessToken);
    const forged = signJwt(
      { ...claims, tier: 'admin', platformRole: 'PLATFORM_ADMIN', role: 'OWNER', scope: 'admin' },
      privateKey,
    );
    const me = await send(t, { method: 'GET', path: '/me', token: forged });
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ id: user.id, tier: 'user_free', platformRole: null });
    expect((await send(t, { method: 'GET', path: '/admin/users', token: forged })).status).toBe(
      403,
    );
    expect((await send(t, { method: 'GET', path: '/dashboard', token: forged })).status).toBe(403);
  });

  it('revoked by logout, user disabled, token version bumped: 401 on every route; refresh too where API.md says so', async () => {
    const auth = (token: string) => ({ authorization: `Bearer ${token}` });
    // Logout: the access token and its refresh token die.
    const a = await loginPair(t, await createUser(t.dataSource));
    expect(
      (
        await t
          .http()
          .post('/auth/logout')
          .set(auth(a.accessToken))
          .send({ refreshToken: a.refreshToken })
      ).status,
    ).toBe(204);
    await sweep401('revoked by logout', a.accessToken);
    expect(
      (await t.http().post('/auth/refresh').send({ refreshToken: a.refreshToken })).status,
    ).toBe(401);

    // Disabled by a PLATFORM_ADMIN: access and refresh tokens die.
    const bUser = await createUser(t.dataSource);
    const b = await loginPair(t, bUser);
    expect(
      (
        await t
          .http()
          .patch(`/admin/users/${bUser.id}`)
          .set(auth(admin.accessToken))
          .send({ disabled: true })
      ).status,
    ).toBe(200);
    await sweep401('user disabled', b.accessToken);
    expect(
      (await t.http().post('/auth/refresh').send({ refreshToken: b.refreshToken })).status,
    ).toBe(401);

    // Tier changed (token_version bumped): access tokens die, refresh yields the new tier.
    const cUser = await createUser(t.dataSource, { tier: 'user_pro' });
    const c = await loginPair(t, cUser);
    expect(
      (
        await t
          .http()
          .patch(`/admin/users/${cUser.id}`)
          .set(auth(admin.accessToken))
          .send({ tier: 'user_free' })
      ).status,
    ).toBe(200);
    await sweep401('token version bumped', c.accessToken);
    const refreshed = await t.http().post('/auth/refresh').send({ refreshToken: c.refreshToken });
    expect(refreshed.status).toBe(200);
    const me = await t
      .http()
      .get('/me')
      .set(auth(refreshed.body.accessToken as string));
    expect(me.body).toMatchObject({ tier: 'user_free' });
    report(
      `[security-jwt] lifecycle: logout, disabled, version bumped × ${routes.length} routes, all 401`,
    );
  }, 120_000);
});
