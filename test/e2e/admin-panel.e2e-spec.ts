import { createUser, loginAs, loginPair, type TestUser } from '../factories/users';
import { startTestApp, type TestApp } from '../harness/test-app';
import { linkToken, MailCatcher } from './support/mail-catcher';

// App boot, argon2 logins and SMTP round trips: more than Jest's default 5 s per hook.
jest.setTimeout(60_000);

/**
 * The admin panel's access rules (API.md "Admin panel", D6–D8) and its user, audit-log and
 * feature-flag routes.
 */
describe('Admin panel (e2e)', () => {
  let smtp: MailCatcher;
  let t: TestApp;
  let platform: TestUser;
  let platform2: TestUser;
  let owner1: TestUser;
  let admin1: TestUser;
  let member1: TestUser;
  let admin2: TestUser;
  let member2: TestUser;
  let solo: TestUser;
  let proAdmin: TestUser;
  let t1: string;
  let t2: string;
  let c1: string;
  const tokens = new Map<string, string>();

  const auth = (user: TestUser) => ({ authorization: `Bearer ${tokens.get(user.id) ?? ''}` });
  const sql = <T>(query: string, params: unknown[] = []): Promise<T[]> =>
    t.dataSource.query<T[]>(query, params);
  const newTenant = async (name: string): Promise<string> =>
    (await sql<{ id: string }>(`INSERT INTO tenants (name) VALUES ($1) RETURNING id`, [name]))[0]
      .id;
  const join = (tenantId: string, user: TestUser, role: string) =>
    sql(`INSERT INTO tenant_members (tenant_id, user_id, role) VALUES ($1, $2, $3)`, [
      tenantId,
      user.id,
      role,
    ]);

  beforeAll(async () => {
    smtp = new MailCatcher((address) => address.startsWith('reject-'));
    t = await startTestApp({
      env: {
        SMTP_URL: await smtp.start(),
        RATE_LIMIT_AUTH_PER_IP: '100000',
      },
    });
    platform = await createUser(t.dataSource, { tier: 'admin', platformRole: 'PLATFORM_ADMIN' });
    platform2 = await createUser(t.dataSource, { tier: 'admin', platformRole: 'PLATFORM_ADMIN' });
    t1 = await newTenant('Tenant One');
    t2 = await newTenant('Tenant Two');
    const t3 = await newTenant('Tenant Three');
    c1 = (
      await sql<{ id: string }>(
        `INSERT INTO clinics (tenant_id, name) VALUES ($1, 'C1') RETURNING id`,
        [t1],
      )
    )[0].id;
    owner1 = await createUser(t.dataSource, { tier: 'owner' });
    admin1 = await createUser(t.dataSource, { tier: 'user_enterprise' });
    member1 = await createUser(t.dataSource, { tier: 'user_enterprise' });
    admin2 = await createUser(t.dataSource, { tier: 'user_enterprise' });
    member2 = await createUser(t.dataSource, { tier: 'user_pro' });
    solo = await createUser(t.dataSource, { tier: 'user_pro' });
    proAdmin = await createUser(t.dataSource, { tier: 'user_pro' });
    await join(t1, owner1, 'OWNER');
    await join(t1, admin1, 'ADMIN');
    await join(t1, member1, 'MEMBER');
    await join(t2, admin2, 'ADMIN');
    await join(t2, member2, 'MEMBER');
    await join(t3, proAdmin, 'ADMIN');
    await sql(
      `INSERT INTO clinic_members (tenant_id, clinic_id, user_id, role) VALUES ($1, $2, $3, 'MEMBER')`,
      [t1, c1, member1.id],
    );
    await sql(
      `INSERT INTO audit_log (tenant_id, actor_id, action, subject_type, subject_id) VALUES
         ($1::uuid, $3::uuid, 'tenant.update', 'Tenant', $1::uuid::text), ($2::uuid, $4::uuid, 'tenant.update', 'Tenant', $2::uuid::text), (NULL, $5::uuid, 'tenant.create', 'Tenant', $2::uuid::text)`,
      [t1, t2, admin1.id, admin2.id, platform.id],
    );
    for (const u of [platform, platform2, owner1, admin1, member1, admin2, member2, solo, proAdmin])
      tokens.set(u.id, await loginAs(t, u));
  });
  afterAll(async () => {
    await t.close();
    await smtp.stop();
  });

  describe('who may call what', () => {
    const platformOnly: [string, string, Record<string, unknown>][] = [
      ['post', '/admin/partners', { email: 'p@x.test', displayName: 'P', tier: 'partner_free' }],
      ['post', '/admin/test-data/scrub', {}],
      ['get', '/admin/feature-flags', {}],
      ['put', '/admin/feature-flags/analytics', { enabled: false }],
      [
        'post',
        '/admin/users',
        { email: 'u@x.test', displayName: 'U', tier: 'user_pro', password: 'long-enough-password' },
      ],
      ['patch', '/admin/users/:member1', { tier: 'user_pro' }],
    ];

    it.each(platformOnly)(
      'tenant ADMIN and OWNER: %s %s → 403 tenancy_denied (before the body is validated)',
      async (method, path, body) => {
        for (const caller of [admin1, owner1]) {
          const url = path.replace(':member1', member1.id);
          const req = t.http()[method as 'post'](url).set(auth(caller));
          const res = await (method === 'get' ? req : req.send(body)).expect(403);
          expect(res.body).toMatchObject({ code: 'tenancy_denied', feature: 'admin_panel' });
          // A nonsense body changes nothing: the guard answers first.
          if (method !== 'get') {
            const junk = await t
              .http()
              [method as 'post'](url)
              .set(auth(caller))
              .send({ junk: true })
              .expect(403);
            expect(junk.body.code).toBe('tenancy_denied');
          }
        }
      },
    );

    it('tenant MEMBER with the feature: tenancy_denied; tiers without admin_panel: feature_denied', async () => {
      const member = await t.http().get('/admin/users').set(auth(member1)).expect(403);
      expect(member.body.code).toBe('tenancy_denied');
      for (const caller of [solo, proAdmin, member2]) {
        const res = await t.http().get('/admin/audit-log').set(auth(caller)).expect(403);
        expect(res.body).toMatchObject({ code: 'feature_denied', feature: 'admin_panel' });
      }
    });

    it('tenant ADMIN sees only its tenant’s users; others are 404', async () => {
      const res = await t.http().get('/admin/users').set(auth(admin1)).expect(200);
      const ids = (res.body.items as { id: string }[]).map((u) => u.id).sort();
      expect(ids).toEqual([owner1.id, admin1.id, member1.id].sort());
      const m1 = (res.body.items as { id: string }[]).find((u) => u.id === member1.id);
      expect(m1).toEqual({
        id: member1.id,
        email: member1.email,
        displayName: expect.any(String) as string,
        platformRole: null,
        tier: 'user_enterprise',
        tierExpiresAt: null,
        disabled: false,
        activated: true,
        tenant: { id: t1, role: 'MEMBER' },
        clinics: [{ id: c1, role: 'MEMBER' }],
        createdAt: expect.any(String) as string,
      });
      await t.http().get(`/admin/users/${member1.id}`).set(auth(admin1)).expect(200);
      await t.http().get(`/admin/users/${member2.id}`).set(auth(admin1)).expect(404);
      await t.http().get(`/admin/users/${platform.id}`).set(auth(admin1)).expect(404);
      await t.http().get(`/admin/users?tenantId=${t2}`).set(auth(admin1)).expect(404);
      const own = await t.http().get(`/admin/users?tenantId=${t1}`).set(auth(owner1)).expect(200);
      expect(own.body.items).toHaveLength(3);
    });

    it('tenant ADMIN sees only its tenant’s audit rows', async () => {
      const res = await t.http().get('/admin/audit-log').set(auth(admin1)).expect(200);
      const rows = res.body.items as { tenantId: string | null }[];
      expect(rows.length).toBeGreaterThan(0);
      expect(rows.every((r) => r.tenantId === t1)).toBe(true);
      await t.http().get(`/admin/audit-log?actorId=${admin2.id}`).set(auth(admin1)).expect(404);
    });
  });

  describe('users', () => {
    it('PLATFORM_ADMIN lists everyone, newest first, keyset pages without duplicates; never a password hash', async () => {
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const res = await t
          .http()
          .get(`/admin/users?limit=3${cursor ? `&cursor=${cursor}` : ''}`)
          .set(auth(platform))
          .expect(200);
        const items = res.body.items as { id: string; createdAt: string }[];
        expect(items.length).toBeLessThanOrEqual(3);
        for (const item of items) expect(Object.keys(item)).not.toContain('passwordHash');
        seen.push(...items.map((i) => i.id));
        cursor = res.body.nextCursor as string | null;
      } while (cursor);
      const total = Number(
        (await sql<{ n: string }>(`SELECT count(*)::text AS n FROM users`))[0].n,
      );
      expect(seen).toHaveLength(total);
      expect(new Set(seen).size).toBe(total);
      const byTier = await t.http().get('/admin/users?tier=owner').set(auth(platform)).expect(200);
      expect((byTier.body.items as { id: string }[]).map((u) => u.id)).toEqual([owner1.id]);
      await t.http().get('/admin/users?cursor=bogus').set(auth(platform)).expect(400);
    });

    it('POST with a password: 201, membership set, can log in; audited', async () => {
      const email = `new.${Date.now()}@example.test`;
      const res = await t
        .http()
        .post('/admin/users')
        .set(auth(platform))
        .send({
          email,
          displayName: 'New',
          tier: 'user_pro',
          password: 'a-long-password-1',
          tenantId: t1,
          clinicId: c1,
          clinicRole: 'ADMIN',
        })
        .expect(201);
      expect(res.body).toMatchObject({
        email,
        tier: 'user_pro',
        activated: true,
        tenant: { id: t1, role: 'MEMBER' },
        clinics: [{ id: c1, role: 'ADMIN' }],
      });
      await t.http().post('/auth/login').send({ email, password: 'a-long-password-1' }).expect(200);
      const audit = await sql(
        `SELECT 1 FROM audit_log WHERE action = 'user.create' AND subject_id = $1 AND tenant_id = $2`,
        [res.body.id, t1],
      );
      expect(audit).toHaveLength(1);
      await t
        .http()
        .post('/admin/users')
        .set(auth(platform))
        .send({ email, displayName: 'Dup', tier: 'user_pro' })
        .expect(409);
    });

    it('POST without a password: invitation over SMTP; a refused mail creates nothing (503)', async () => {
      const email = `invitee.${Date.now()}@example.test`;
      const res = await t
        .http()
        .post('/admin/users')
        .set(auth(platform))
        .send({ email, displayName: 'Invitee', tier: 'user_free' })
        .expect(201);
      expect(res.body.activated).toBe(false);
      const mail = await smtp.waitFor(email);
      const accepted = await t
        .http()
        .post('/auth/invitations/accept')
        .send({ token: linkToken(mail.text, 'invite') })
        .expect(200);
      await t
        .http()
        .get('/me')
        .set({ authorization: `Bearer ${accepted.body.accessToken as string}` })
        .expect(200);

      const refused = `reject-${Date.now()}@example.test`;
      const failed = await t
        .http()
        .post('/admin/users')
        .set(auth(platform))
        .send({ email: refused, displayName: 'R', tier: 'user_pro', tenantId: t2 })
        .expect(503);
      expect(failed.body.code).toBe('service_unavailable');
      expect(await sql(`SELECT 1 FROM users WHERE email = $1`, [refused])).toEqual([]);
    });

    it('POST validation: beta_observer needs tierExpiresAt; memberships need their parents; unknown tenant 404', async () => {
      const post = (body: Record<string, unknown>) =>
        t
          .http()
          .post('/admin/users')
          .set(auth(platform))
          .send({ email: `v.${Math.random()}@example.test`, displayName: 'V', ...body });
      const beta = await post({ tier: 'beta_observer' }).expect(400);
      expect(beta.body).toMatchObject({
        code: 'validation_failed',
        details: [{ field: 'tierExpiresAt' }],
      });
      await post({
        tier: 'beta_observer',
        tierExpiresAt: new Date(Date.now() - 1000).toISOString(),
      }).expect(400);
      await post({
        tier: 'beta_observer',
        tierExpiresAt: new Date(Date.now() + 86_400_000).toISOString(),
        password: 'a-long-password-1',
      }).expect(201);
      await post({ tier: 'user_pro', tenantRole: 'ADMIN' }).expect(400);
      await post({ tier: 'user_pro', clinicId: c1 }).expect(400);
      await post({
        tier: 'user_pro',
        tenantId: '00000000-0000-4000-8000-000000000000',
        password: 'a-long-password-1',
      }).expect(404);
      await post({
        tier: 'user_pro',
        tenantId: t2,
        clinicId: c1,
        password: 'a-long-password-1',
      }).expect(404);
      await post({ tier: 'user_pro', platformRole: 'PLATFORM_ADMIN' }).expect(400);
      await post({ tier: 'nope' }).expect(400);
    });

    it('PATCH tier: audited, old access tokens 401, refresh yields the new tier', async () => {
      const user = await createUser(t.dataSource, { tier: 'user_enterprise' });
      const pair = await loginPair(t, user);
      const res = await t
        .http()
        .patch(`/admin/users/${user.id}`)
        .set(auth(platform))
        .send({ tier: 'user_premium' })
        .expect(200);
      expect(res.body.tier).toBe('user_premium');
      await t
        .http()
        .get('/me')
        .set({ authorization: `Bearer ${pair.accessToken}` })
        .expect(401);
      const refreshed = await t
        .http()
        .post('/auth/refresh')
        .send({ refreshToken: pair.refreshToken })
        .expect(200);
      const me = await t
        .http()
        .get('/me')
        .set({ authorization: `Bearer ${refreshed.body.accessToken as string}` })
        .expect(200);
      expect(me.body.tier).toBe('user_premium');
      const [row] = await sql<{ details: { changes: Record<string, unknown> }; actor_id: string }>(
        `SELECT details, actor_id FROM audit_log WHERE action = 'user.update' AND subject_id = $1`,
        [user.id],
      );
      expect(row.actor_id).toBe(platform.id);
      expect(row.details.changes).toEqual({
        tier: { from: 'user_enterprise', to: 'user_premium' },
      });
      // No change, no audit row, no bump.
      await t
        .http()
        .patch(`/admin/users/${user.id}`)
        .set(auth(platform))
        .send({ tier: 'user_premium' })
        .expect(200);
      await t
        .http()
        .get('/me')
        .set({ authorization: `Bearer ${refreshed.body.accessToken as string}` })
        .expect(200);
      await t
        .http()
        .patch(`/admin/users/${user.id}`)
        .set(auth(platform))
        .send({ tier: 'beta_observer' })
        .expect(400);
      const expires = new Date(Date.now() + 7 * 86_400_000).toISOString();
      const beta = await t
        .http()
        .patch(`/admin/users/${user.id}`)
        .set(auth(platform))
        .send({ tier: 'beta_observer', tierExpiresAt: expires })
        .expect(200);
      expect(beta.body).toMatchObject({ tier: 'beta_observer', tierExpiresAt: expires });
    });

    it('PATCH disabled: every session revoked (refresh 401), login refused; re-enable works', async () => {
      const user = await createUser(t.dataSource, { tier: 'user_pro' });
      const pair = await loginPair(t, user);
      const res = await t
        .http()
        .patch(`/admin/users/${user.id}`)
        .set(auth(platform))
        .send({ disabled: true })
        .expect(200);
      expect(res.body.disabled).toBe(true);
      await t
        .http()
        .get('/me')
        .set({ authorization: `Bearer ${pair.accessToken}` })
        .expect(401);
      await t.http().post('/auth/refresh').send({ refreshToken: pair.refreshToken }).expect(401);
      await t
        .http()
        .post('/auth/login')
        .send({ email: user.email, password: user.password })
        .expect(401);
      await t
        .http()
        .patch(`/admin/users/${user.id}`)
        .set(auth(platform))
        .send({ disabled: false })
        .expect(200);
      await loginPair(t, user);
    });

    it('PATCH platformRole: never for a tenant member (409); never removes the last PLATFORM_ADMIN (409)', async () => {
      const member = await t
        .http()
        .patch(`/admin/users/${member2.id}`)
        .set(auth(platform))
        .send({ platformRole: 'PLATFORM_ADMIN' })
        .expect(409);
      expect(member.body.code).toBe('conflict');
      const promoted = await t
        .http()
        .patch(`/admin/users/${solo.id}`)
        .set(auth(platform))
        .send({ platformRole: 'PLATFORM_ADMIN' })
        .expect(200);
      expect(promoted.body.platformRole).toBe('PLATFORM_ADMIN');
      await t
        .http()
        .patch(`/admin/users/${solo.id}`)
        .set(auth(platform))
        .send({ platformRole: null })
        .expect(200);
      // Leave exactly one active PLATFORM_ADMIN besides `platform`, then try to remove both.
      const others = await sql<{ id: string }>(
        `SELECT id FROM users WHERE platform_role = 'PLATFORM_ADMIN' AND id <> $1`,
        [platform.id],
      );
      for (const o of others)
        await t
          .http()
          .patch(`/admin/users/${o.id}`)
          .set(auth(platform))
          .send({ disabled: true })
          .expect(200);
      const last = await t
        .http()
        .patch(`/admin/users/${platform.id}`)
        .set(auth(platform))
        .send({ platformRole: null })
        .expect(409);
      expect(last.body.message).toMatch(/last active PLATFORM_ADMIN/);
      await t
        .http()
        .patch(`/admin/users/${platform.id}`)
        .set(auth(platform))
        .send({ disabled: true })
        .expect(409);
      await t
        .http()
        .patch(`/admin/users/${platform2.id}`)
        .set(auth(platform))
        .send({ disabled: false })
        .expect(200);
      await t
        .http()
        .patch('/admin/users/00000000-0000-4000-8000-000000000000')
        .set(auth(platform))
        .send({ disabled: true })
        .expect(404);
      await t.http().patch('/admin/users/not-a-uuid').set(auth(platform)).send({}).expect(400);
    });
  });

  describe('audit log', () => {
    it('PLATFORM_ADMIN: every row, newest first, filters and keyset pages', async () => {
      const all = await t.http().get('/admin/audit-log?limit=200').set(auth(platform)).expect(200);
      const items = all.body.items as {
        id: string;
        createdAt: string;
        action: string;
        tenantId: string | null;
        actor: { id: string } | null;
      }[];
      expect(items.some((i) => i.tenantId === t2)).toBe(true);
      expect(items.some((i) => i.tenantId === null)).toBe(true);
      for (let i = 1; i < items.length; i++)
        expect(items[i - 1].createdAt >= items[i].createdAt).toBe(true);
      const byAction = await t
        .http()
        .get('/admin/audit-log?action=user.update')
        .set(auth(platform))
        .expect(200);
      expect(
        (byAction.body.items as { action: string }[]).every((i) => i.action === 'user.update'),
      ).toBe(true);
      expect((byAction.body.items as unknown[]).length).toBeGreaterThan(0);
      const byActor = await t
        .http()
        .get(`/admin/audit-log?actorId=${admin2.id}`)
        .set(auth(platform))
        .expect(200);
      expect((byActor.body.items as { actor: { id: string } }[]).map((i) => i.actor.id)).toEqual([
        admin2.id,
      ]);
      const future = await t
        .http()
        .get(`/admin/audit-log?since=${new Date(Date.now() + 60_000).toISOString()}`)
        .set(auth(platform))
        .expect(200);
      expect(future.body.items).toEqual([]);
      const first = await t.http().get('/admin/audit-log?limit=2').set(auth(platform)).expect(200);
      const second = await t
        .http()
        .get(`/admin/audit-log?limit=2&cursor=${first.body.nextCursor as string}`)
        .set(auth(platform))
        .expect(200);
      expect([...first.body.items, ...second.body.items].map((i: { id: string }) => i.id)).toEqual(
        items.slice(0, 4).map((i) => i.id),
      );
      await t.http().get('/admin/audit-log?since=yesterday').set(auth(platform)).expect(400);
    });
  });

  describe('feature flags', () => {
    beforeAll(async () => {
      // Earlier tests bumped some token versions (role changes): fresh tokens for everyone.
      for (const u of [platform, owner1, admin1, member1, admin2, member2, solo])
        tokens.set(u.id, await loginAs(t, u));
    });

    it('lists every feature; admin_panel cannot be switched off (409); unknown feature 404', async () => {
      const res = await t.http().get('/admin/feature-flags').set(auth(platform)).expect(200);
      expect((res.body.items as { feature: string }[]).map((f) => f.feature)).toHaveLength(9);
      expect(res.body.nextCursor).toBeNull();
      expect(
        (res.body.items as { feature: string; switchable: boolean }[]).find(
          (f) => f.feature === 'admin_panel',
        ),
      ).toMatchObject({ switchable: false, enabled: true });
      const off = await t
        .http()
        .put('/admin/feature-flags/admin_panel')
        .set(auth(platform))
        .send({ enabled: false })
        .expect(409);
      expect(off.body.code).toBe('conflict');
      await t
        .http()
        .put('/admin/feature-flags/admin_panel')
        .set(auth(platform))
        .send({ enabled: true })
        .expect(200);
      await t
        .http()
        .put('/admin/feature-flags/teleportation')
        .set(auth(platform))
        .send({ enabled: false })
        .expect(404);
      await t
        .http()
        .put('/admin/feature-flags/analytics')
        .set(auth(platform))
        .send({ enabled: 'no' })
        .expect(400);
      await t
        .http()
        .put('/admin/feature-flags/analytics')
        .set(auth(platform))
        .send({ enabled: false, tenantId: '00000000-0000-4000-8000-000000000000' })
        .expect(404);
      await t.http().get('/admin/users').set(auth(platform)).expect(200);
    });

    it('platform-wide off: the feature answers 403 feature_disabled for everyone, PLATFORM_ADMIN included; on again: 200', async () => {
      const res = await t
        .http()
        .put('/admin/feature-flags/wellness_journey')
        .set(auth(platform))
        .send({ enabled: false })
        .expect(200);
      expect(res.body).toMatchObject({
        feature: 'wellness_journey',
        enabled: false,
        switchable: true,
        updatedBy: platform.id,
      });
      for (const caller of [platform, admin1, member1, solo]) {
        const denied = await t.http().get('/patients').set(auth(caller)).expect(403);
        expect(denied.body).toMatchObject({
          code: 'feature_disabled',
          feature: 'wellness_journey',
        });
      }
      await t
        .http()
        .put('/admin/feature-flags/wellness_journey')
        .set(auth(platform))
        .send({ enabled: true })
        .expect(200);
      for (const caller of [platform, member1, solo])
        await t.http().get('/patients').set(auth(caller)).expect(200);
      const audit = await sql(
        `SELECT 1 FROM audit_log WHERE action = 'feature_flag.set' AND subject_id = 'wellness_journey'`,
      );
      expect(audit).toHaveLength(2);
    });

    it('per-tenant off: only that tenant’s members get feature_disabled', async () => {
      await t
        .http()
        .put('/admin/feature-flags/wellness_journey')
        .set(auth(platform))
        .send({ enabled: false, tenantId: t1 })
        .expect(200);
      const denied = await t.http().get('/patients').set(auth(member1)).expect(403);
      expect(denied.body.code).toBe('feature_disabled');
      await t.http().get('/patients').set(auth(member2)).expect(200);
      await t.http().get('/patients').set(auth(platform)).expect(200);
      const list = await t.http().get('/admin/feature-flags').set(auth(platform)).expect(200);
      const wj = (
        list.body.items as {
          feature: string;
          enabled: boolean;
          tenantOverrides: { tenantId: string; enabled: boolean }[];
        }[]
      ).find((f) => f.feature === 'wellness_journey');
      expect(wj).toMatchObject({
        enabled: true,
        tenantOverrides: [{ tenantId: t1, enabled: false }],
      });
      const tenantAudit = await t
        .http()
        .get('/admin/audit-log?action=feature_flag.set')
        .set(auth(admin1))
        .expect(200);
      expect(tenantAudit.body.items).toHaveLength(1);
      await t
        .http()
        .put('/admin/feature-flags/wellness_journey')
        .set(auth(platform))
        .send({ enabled: true, tenantId: t1 })
        .expect(200);
      await t.http().get('/patients').set(auth(member1)).expect(200);
    });
  });
});
