import { CredentialHousekeeping } from '../../src/auth/credential-housekeeping.service';
import { createUser, loginPair } from '../factories/users';
import { startTestApp, type TestApp } from '../harness/test-app';

jest.setTimeout(60_000);

const count = async (t: TestApp, sql: string, values: unknown[]): Promise<number> =>
  (await t.dataSource.query<{ n: number }[]>(sql, values))[0].n;

/**
 * The purge removes what can no longer be used and nothing a live session still needs: its
 * current token, and its spent ones (presenting a spent token again must still revoke it).
 */
describe('Expired credentials purge (e2e)', () => {
  let t: TestApp;
  let purge: CredentialHousekeeping;

  beforeAll(async () => {
    t = await startTestApp();
    purge = t.app.get(CredentialHousekeeping);
  });
  afterAll(() => t.close());

  it('deletes tokens of ended sessions, long-expired tokens and links, finished rate-limit windows', async () => {
    const live = await createUser(t.dataSource);
    const first = await loginPair(t, live);
    const rotated = await t
      .http()
      .post('/auth/refresh')
      .send({ refreshToken: first.refreshToken })
      .expect(200);

    const revoked = await createUser(t.dataSource);
    await loginPair(t, revoked);
    await t.dataSource.query(
      `UPDATE auth_sessions SET revoked_at = now() - interval '2 days', revoke_reason = 'logout' WHERE user_id = $1`,
      [revoked.id],
    );
    const old = await createUser(t.dataSource);
    await loginPair(t, old);
    await t.dataSource.query(
      `UPDATE auth_sessions SET created_at = now() - interval '31 days' WHERE user_id = $1`,
      [old.id],
    );
    await t.dataSource.query(
      `INSERT INTO link_tokens (type, user_id, token_hash, expires_at)
       VALUES ('login', $1, decode(repeat('ab', 32), 'hex'), now() - interval '2 days'),
              ('login', $1, decode(repeat('cd', 32), 'hex'), now() + interval '10 minutes')`,
      [live.id],
    );
    await t.dataSource.query(
      `INSERT INTO rate_limit_counters (key, window_started_at, expires_at, hits, blocked_until)
       VALUES ('test:over', now() - interval '2 hours', now() - interval '1 hour', 3, NULL),
              ('test:blocked', now() - interval '2 hours', now() - interval '1 hour', 9, now() + interval '1 hour'),
              ('test:open', now(), now() + interval '1 hour', 1, NULL)`,
    );

    const counts = await purge.purge();

    expect(counts.refreshTokens).toBeGreaterThanOrEqual(2);
    expect(counts.linkTokens).toBeGreaterThanOrEqual(1);
    expect(counts.rateLimitCounters).toBeGreaterThanOrEqual(1);
    const tokensOf = (userId: string): Promise<number> =>
      count(t, 'SELECT count(*)::int AS n FROM refresh_tokens WHERE user_id = $1', [userId]);
    expect(await tokensOf(revoked.id)).toBe(0);
    expect(await tokensOf(old.id)).toBe(0);
    // The live session keeps both tokens: the current one and the spent one.
    expect(await tokensOf(live.id)).toBe(2);
    expect(
      await count(t, 'SELECT count(*)::int AS n FROM link_tokens WHERE user_id = $1', [live.id]),
    ).toBe(1);
    const keys = (
      await t.dataSource.query<{ key: string }[]>(
        `SELECT key FROM rate_limit_counters WHERE key LIKE 'test:%' ORDER BY key`,
      )
    ).map((r) => r.key);
    expect(keys).toEqual(['test:blocked', 'test:open']);

    // Its spent token was kept, so presenting it again is still caught: the family is revoked
    // and the current token dies with it.
    await t.http().post('/auth/refresh').send({ refreshToken: first.refreshToken }).expect(401);
    await t
      .http()
      .post('/auth/refresh')
      .send({ refreshToken: (rotated.body as { refreshToken: string }).refreshToken })
      .expect(401);
  });

  it('a second purge finds nothing more to delete among those rows', async () => {
    const again = await purge.purge();
    expect(again).toEqual({ refreshTokens: 0, linkTokens: 0, rateLimitCounters: 0 });
  });
});
