import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { addClinicMember, addTenantMember, createClinic, createTenant } from '../factories/tenancy';
import { createUser, loginAs } from '../factories/users';
import { startTestApp, type TestApp } from '../harness/test-app';
import {
  as,
  auditRows,
  buildTenancyWorld,
  caller,
  type TenancyWorld,
  tierOf,
} from './support/tenancy-world';

/** API.md "Tenancy": tenants, tenant members and seats (seed 003's matrix, D5, D6). */
describe('Tenancy: tenants, members, seats (e2e)', () => {
  let t: TestApp;
  let w: TenancyWorld;

  beforeAll(async () => {
    t = await startTestApp({ env: { RATE_LIMIT_AUTH_PER_IP: '100000' } });
    w = await buildTenancyWorld(t);
  });
  afterAll(() => t.close());

  const anon = () => as(t, null);

  describe('POST /tenants', () => {
    it('401 without a token', async () => {
      await anon().post('/tenants', { name: 'X' }).expect(401);
    });

    it('403 tenancy_denied for a tenant OWNER (platform admins only), before body validation', async () => {
      const res = await as(t, w.owner.token).post('/tenants', { bogus: true }).expect(403);
      expect(res.body).toMatchObject({ code: 'tenancy_denied', action: 'create', feature: null });
    });

    it('400 on unknown fields', async () => {
      const res = await as(t, w.admin.token)
        .post('/tenants', { name: 'X', tenantId: w.t1.id })
        .expect(400);
      expect(res.body.code).toBe('validation_failed');
    });

    it('201 for PLATFORM_ADMIN, with the resource, audited', async () => {
      const res = await as(t, w.admin.token)
        .post('/tenants', { name: 'Fresh Group', seatLimit: 3 })
        .expect(201);
      expect(res.body).toEqual({
        id: expect.any(String),
        name: 'Fresh Group',
        seatLimit: 3,
        seatsUsed: 0,
        createdAt: expect.any(String),
        updatedAt: expect.any(String),
      });
      const audit = await auditRows(t, 'tenant.create', res.body.id);
      expect(audit).toHaveLength(1);
      expect(audit[0]).toMatchObject({
        actor_id: w.admin.id,
        tenant_id: res.body.id,
        request_id: expect.any(String),
      });
    });
  });

  describe('GET /tenants', () => {
    it('401 without a token', async () => {
      await anon().get('/tenants').expect(401);
    });

    it('403 tenancy_denied for a user without a tenant', async () => {
      const res = await as(t, w.solo.token).get('/tenants').expect(403);
      expect(res.body.code).toBe('tenancy_denied');
    });

    it('a member sees only their own tenant', async () => {
      const res = await as(t, w.member.token).get('/tenants').expect(200);
      expect(res.body).toEqual({
        items: [expect.objectContaining({ id: w.t1.id, name: 'T1', seatLimit: 1 })],
        nextCursor: null,
      });
    });

    it('PLATFORM_ADMIN sees every tenant, newest first, in stable keyset pages', async () => {
      const all = await as(t, w.admin.token).get('/tenants?limit=200').expect(200);
      const ids: string[] = all.body.items.map((x: { id: string }) => x.id);
      expect(ids).toEqual(expect.arrayContaining([w.t1.id, w.t2.id]));
      const walked: string[] = [];
      let cursor: string | null = null;
      do {
        const page: { body: { items: { id: string }[]; nextCursor: string | null } } = await as(
          t,
          w.admin.token,
        )
          .get(`/tenants?limit=1${cursor ? `&cursor=${cursor}` : ''}`)
          .expect(200);
        expect(page.body.items.length).toBeLessThanOrEqual(1);
        walked.push(...page.body.items.map((x: { id: string }) => x.id));
        cursor = page.body.nextCursor;
      } while (cursor);
      expect(walked).toEqual(ids);
    });

    it('400 on a malformed cursor or limit', async () => {
      expect((await as(t, w.admin.token).get('/tenants?cursor=nope').expect(400)).body.code).toBe(
        'validation_failed',
      );
      await as(t, w.admin.token).get('/tenants?limit=0').expect(400);
      await as(t, w.admin.token).get('/tenants?limit=201').expect(400);
    });
  });

  describe('GET /tenants/:id', () => {
    it('401 / 200 for a member / 404 for another tenant / 400 for a malformed id', async () => {
      await anon().get(`/tenants/${w.t1.id}`).expect(401);
      const res = await as(t, w.member.token).get(`/tenants/${w.t1.id}`).expect(200);
      expect(res.body).toMatchObject({ id: w.t1.id, name: 'T1' });
      expect((await as(t, w.member.token).get(`/tenants/${w.t2.id}`).expect(404)).body.code).toBe(
        'not_found',
      );
      await as(t, w.member.token).get('/tenants/not-a-uuid').expect(400);
      await as(t, w.admin.token).get(`/tenants/${w.t2.id}`).expect(200);
    });
  });

  describe('PATCH /tenants/:id', () => {
    it('401 without a token', async () => {
      await anon().patch(`/tenants/${w.t1.id}`, { name: 'X' }).expect(401);
    });

    it('403 for a tenant MEMBER (no update rule at all: the guard answers tenancy_denied)', async () => {
      const res = await as(t, w.member.token)
        .patch(`/tenants/${w.t1.id}`, { name: 'X' })
        .expect(403);
      expect(res.body.code).toBe('tenancy_denied');
    });

    it('404 for another tenant', async () => {
      await as(t, w.owner.token).patch(`/tenants/${w.t2.id}`, { name: 'X' }).expect(404);
    });

    it('a tenant ADMIN renames it (200, audited); seatLimit is 403 action_denied', async () => {
      const res = await as(t, w.tadmin.token)
        .patch(`/tenants/${w.t1.id}`, { name: 'T1 renamed' })
        .expect(200);
      expect(res.body).toMatchObject({ id: w.t1.id, name: 'T1 renamed', seatLimit: 1 });
      const audit = await auditRows(t, 'tenant.update', w.t1.id);
      expect(audit.at(-1)?.details).toEqual({
        changes: { name: { from: 'T1', to: 'T1 renamed' } },
      });
      const denied = await as(t, w.tadmin.token)
        .patch(`/tenants/${w.t1.id}`, { seatLimit: 50 })
        .expect(403);
      expect(denied.body).toMatchObject({ code: 'action_denied', action: 'update' });
      await as(t, w.owner.token).patch(`/tenants/${w.t1.id}`, { name: 'T1' }).expect(200);
    });

    it('PLATFORM_ADMIN sets seatLimit', async () => {
      const tenant = await createTenant(t.dataSource);
      const res = await as(t, w.admin.token)
        .patch(`/tenants/${tenant.id}`, { seatLimit: 7 })
        .expect(200);
      expect(res.body.seatLimit).toBe(7);
      const cleared = await as(t, w.admin.token)
        .patch(`/tenants/${tenant.id}`, { seatLimit: null })
        .expect(200);
      expect(cleared.body.seatLimit).toBeNull();
    });
  });

  describe('DELETE /tenants/:id', () => {
    it('401 without a token; 403 action_denied for a tenant ADMIN (OWNER only); 404 for another tenant', async () => {
      await anon().delete(`/tenants/${w.t1.id}`).expect(401);
      const res = await as(t, w.tadmin.token).delete(`/tenants/${w.t1.id}`).expect(403);
      // The ADMIN manages the tenant (it may update it) but may not delete it: action_denied.
      expect(res.body.code).toBe('action_denied');
      await as(t, w.owner2.token).delete(`/tenants/${w.t1.id}`).expect(404);
    });

    it('the OWNER deletes it: 204, seats restored, check-ins kept as personal, members’ tokens dead, audited', async () => {
      const ds = t.dataSource;
      const tenant = await createTenant(ds, { seatLimit: 1 });
      const clinic = await createClinic(ds, tenant.id);
      const owner = await caller(t);
      const member = await createUser(ds, { tier: 'user_free' });
      await addTenantMember(ds, tenant.id, owner.id, 'OWNER');
      await addTenantMember(ds, tenant.id, member.id, 'MEMBER');
      await addClinicMember(ds, tenant.id, clinic.id, member.id, 'MEMBER');
      await as(t, w.admin.token).put(`/tenants/${tenant.id}/seats/${member.id}`).expect(200);
      const memberToken = await loginAs(t, member);
      const checkIn = await as(t, memberToken)
        .post('/check-ins', { mood: 6, isPrivate: true })
        .expect(201);
      expect(checkIn.body.tenantId).toBe(tenant.id);

      await as(t, owner.token).delete(`/tenants/${tenant.id}`).expect(204);

      expect(await ds.query(`SELECT 1 FROM tenants WHERE id = $1`, [tenant.id])).toHaveLength(0);
      expect((await tierOf(t, member.id)).tier).toBe('user_free');
      const kept: { tenant_id: string | null }[] = await ds.query(
        `SELECT tenant_id FROM check_ins WHERE id = $1`,
        [checkIn.body.id],
      );
      expect(kept).toEqual([{ tenant_id: null }]);
      await as(t, memberToken).get('/me').expect(401);
      await as(t, owner.token).get('/me').expect(401);
      const audit = await auditRows(t, 'tenant.delete', tenant.id);
      expect(audit).toHaveLength(1);
      expect(audit[0]).toMatchObject({ actor_id: owner.id, tenant_id: null });
    });
  });

  describe('GET /tenants/:id/members', () => {
    it('401; 403 tenancy_denied without a tenant; 404 for another tenant', async () => {
      await anon().get(`/tenants/${w.t1.id}/members`).expect(401);
      expect(
        (await as(t, w.solo.token).get(`/tenants/${w.t1.id}/members`).expect(403)).body.code,
      ).toBe('tenancy_denied');
      await as(t, w.owner.token).get(`/tenants/${w.t2.id}/members`).expect(404);
    });

    it('a MEMBER sees only their own row', async () => {
      const res = await as(t, w.member.token).get(`/tenants/${w.t1.id}/members`).expect(200);
      expect(res.body.items).toEqual([
        expect.objectContaining({
          tenantId: w.t1.id,
          userId: w.member.id,
          role: 'MEMBER',
          email: w.member.email,
        }),
      ]);
    });

    it('OWNER/ADMIN see every member, in keyset pages', async () => {
      const res = await as(t, w.tadmin.token)
        .get(`/tenants/${w.t1.id}/members?limit=200`)
        .expect(200);
      const ids = res.body.items.map((m: { userId: string }) => m.userId);
      expect(ids).toEqual(
        expect.arrayContaining([w.owner.id, w.tadmin.id, w.cadmin.id, w.member.id, w.loner.id]),
      );
      expect(ids).not.toContain(w.member2.id);
      const first = await as(t, w.owner.token)
        .get(`/tenants/${w.t1.id}/members?limit=2`)
        .expect(200);
      expect(first.body.items).toHaveLength(2);
      const second = await as(t, w.owner.token)
        .get(`/tenants/${w.t1.id}/members?limit=2&cursor=${first.body.nextCursor}`)
        .expect(200);
      expect(second.body.items[0].userId).toBe(ids[2]);
    });
  });

  describe('POST /tenants/:id/members', () => {
    it('401; 403 tenancy_denied for a MEMBER; 404 for another tenant; 400 on a bad email', async () => {
      await anon()
        .post(`/tenants/${w.t1.id}/members`, { email: 'a@b.test', role: 'MEMBER' })
        .expect(401);
      const denied = await as(t, w.member.token)
        .post(`/tenants/${w.t1.id}/members`, { email: 'a@b.test', role: 'MEMBER' })
        .expect(403);
      expect(denied.body.code).toBe('tenancy_denied');
      await as(t, w.owner.token)
        .post(`/tenants/${w.t2.id}/members`, { email: 'a@b.test', role: 'MEMBER' })
        .expect(404);
      await as(t, w.owner.token)
        .post(`/tenants/${w.t1.id}/members`, { email: 'nope', role: 'MEMBER' })
        .expect(400);
      await as(t, w.owner.token)
        .post(`/tenants/${w.t1.id}/members`, { email: 'a@b.test', role: 'MEMBER', tier: 'admin' })
        .expect(400);
    });

    it('OWNER/ADMIN may add MEMBERs only: role ADMIN or OWNER is 403 action_denied', async () => {
      for (const role of ['ADMIN', 'OWNER']) {
        const res = await as(t, w.tadmin.token)
          .post(`/tenants/${w.t1.id}/members`, { email: 'x@y.test', role })
          .expect(403);
        expect(res.body).toMatchObject({ code: 'action_denied', action: 'create' });
      }
    });

    it('an unknown email gets an account (tier user, not activated) and an invitation email', async () => {
      const email = `Invitee-${Date.now()}@Example.test`;
      const res = await as(t, w.tadmin.token)
        .post(`/tenants/${w.t1.id}/members`, { email, role: 'MEMBER', displayName: 'New Person' })
        .expect(201);
      expect(res.body).toMatchObject({
        tenantId: w.t1.id,
        email: email.toLowerCase(),
        displayName: 'New Person',
        role: 'MEMBER',
        tier: 'user',
        seat: false,
        activated: false,
      });
      const dir = t.config.env.MAIL_OUTBOX_DIR;
      const files = await readdir(dir);
      const bodies = await Promise.all(files.map((f) => readFile(join(dir, f), 'utf8')));
      expect(bodies.some((b) => b.includes(email.toLowerCase()))).toBe(true);
      const audit = await auditRows(t, 'tenant_member.add', res.body.userId);
      expect(audit[0]).toMatchObject({ actor_id: w.tadmin.id, tenant_id: w.t1.id });
      expect(audit[0].details).toMatchObject({ newAccount: true, invited: true, role: 'MEMBER' });
    });

    it('an existing solo user joins; their old access token dies (token_version bump)', async () => {
      const solo = await caller(t);
      const res = await as(t, w.owner.token)
        .post(`/tenants/${w.t1.id}/members`, { email: solo.email, role: 'MEMBER' })
        .expect(201);
      expect(res.body).toMatchObject({ userId: solo.id, role: 'MEMBER', activated: true });
      await as(t, solo.token).get('/me').expect(401);
      const me = await as(t, await loginAs(t, solo))
        .get('/me')
        .expect(200);
      expect(me.body.tenant).toEqual({ id: w.t1.id, role: 'MEMBER' });
    });

    it('409 (D5) for a member of another tenant, an existing member, and a PLATFORM_ADMIN', async () => {
      for (const email of [w.member2.email, w.member.email, w.admin.email]) {
        const res = await as(t, w.owner.token)
          .post(`/tenants/${w.t1.id}/members`, { email, role: 'MEMBER' })
          .expect(409);
        expect(res.body.code).toBe('conflict');
      }
    });

    it('PLATFORM_ADMIN adds an OWNER', async () => {
      const tenant = await createTenant(t.dataSource);
      const user = await createUser(t.dataSource);
      const res = await as(t, w.admin.token)
        .post(`/tenants/${tenant.id}/members`, { email: user.email, role: 'OWNER' })
        .expect(201);
      expect(res.body.role).toBe('OWNER');
    });
  });

  describe('PATCH /tenants/:id/members/:userId', () => {
    it('401; 403 action_denied for an OWNER (it manages members, but promotion is the platform’s)', async () => {
      await anon()
        .patch(`/tenants/${w.t1.id}/members/${w.loner.id}`, { role: 'ADMIN' })
        .expect(401);
      const res = await as(t, w.owner.token)
        .patch(`/tenants/${w.t1.id}/members/${w.loner.id}`, { role: 'ADMIN' })
        .expect(403);
      expect(res.body.code).toBe('action_denied');
    });

    it('PLATFORM_ADMIN promotes: 200, token bump, audited; 404 for a non-member', async () => {
      const user = await caller(t);
      await addTenantMember(t.dataSource, w.t2.id, user.id, 'MEMBER');
      const token = await loginAs(t, user);
      const res = await as(t, w.admin.token)
        .patch(`/tenants/${w.t2.id}/members/${user.id}`, { role: 'ADMIN' })
        .expect(200);
      expect(res.body).toMatchObject({ userId: user.id, role: 'ADMIN' });
      await as(t, token).get('/me').expect(401);
      const audit = await auditRows(t, 'tenant_member.role_change', user.id);
      expect(audit[0].details).toMatchObject({ from: 'MEMBER', to: 'ADMIN' });
      await as(t, w.admin.token)
        .patch(`/tenants/${w.t2.id}/members/${w.member.id}`, { role: 'ADMIN' })
        .expect(404);
      await as(t, w.admin.token)
        .patch(`/tenants/${w.t2.id}/members/${user.id}`, { role: 'BOSS' })
        .expect(400);
    });
  });

  describe('DELETE /tenants/:id/members/:userId', () => {
    it('401; 403 tenancy_denied without a tenant; 404 for another tenant; 404 for a MEMBER removing someone else', async () => {
      await anon().delete(`/tenants/${w.t1.id}/members/${w.loner.id}`).expect(401);
      expect(
        (await as(t, w.solo.token).delete(`/tenants/${w.t1.id}/members/${w.loner.id}`).expect(403))
          .body.code,
      ).toBe('tenancy_denied');
      await as(t, w.owner2.token).delete(`/tenants/${w.t1.id}/members/${w.loner.id}`).expect(404);
      await as(t, w.member.token).delete(`/tenants/${w.t1.id}/members/${w.loner.id}`).expect(404);
    });

    it('403 action_denied for a tenant ADMIN removing the OWNER', async () => {
      const res = await as(t, w.tadmin.token)
        .delete(`/tenants/${w.t1.id}/members/${w.owner.id}`)
        .expect(403);
      expect(res.body).toMatchObject({ code: 'action_denied', action: 'delete' });
    });

    it('a tenant ADMIN removes a MEMBER: clinic memberships and shares go, the token dies, audited', async () => {
      const user = await caller(t);
      await addTenantMember(t.dataSource, w.t1.id, user.id, 'MEMBER');
      await addClinicMember(t.dataSource, w.t1.id, w.c2.id, user.id, 'ADMIN');
      const token = await loginAs(t, user);
      const checkIn = await as(t, token)
        .post('/check-ins', { mood: 5, isPrivate: false })
        .expect(201);
      await as(t, token)
        .post(`/check-ins/${checkIn.body.id}/shares`, { clinicId: w.c2.id })
        .expect(201);
      await as(t, w.tadmin.token).delete(`/tenants/${w.t1.id}/members/${user.id}`).expect(204);
      await as(t, token).get('/me').expect(401);
      expect(
        await t.dataSource.query(`SELECT 1 FROM clinic_members WHERE user_id = $1`, [user.id]),
      ).toHaveLength(0);
      expect(
        await t.dataSource.query(`SELECT 1 FROM check_in_shares WHERE check_in_id = $1`, [
          checkIn.body.id,
        ]),
      ).toHaveLength(0);
      expect(await auditRows(t, 'tenant_member.remove', user.id)).toHaveLength(1);
    });

    it('a MEMBER leaves (self): 204; a seat they held ends and their tier comes back', async () => {
      const user = await createUser(t.dataSource, { tier: 'user_premium' });
      const tenant = await createTenant(t.dataSource, { seatLimit: 1 });
      await addTenantMember(t.dataSource, tenant.id, user.id, 'MEMBER');
      await as(t, w.admin.token).put(`/tenants/${tenant.id}/seats/${user.id}`).expect(200);
      expect((await tierOf(t, user.id)).tier).toBe('user_enterprise');
      const token = await loginAs(t, user);
      await as(t, token).delete(`/tenants/${tenant.id}/members/${user.id}`).expect(204);
      expect((await tierOf(t, user.id)).tier).toBe('user_premium');
      await as(t, token).get('/me').expect(401);
    });

    it('409 when the last OWNER tries to leave', async () => {
      const tenant = await createTenant(t.dataSource);
      const owner = await caller(t);
      await addTenantMember(t.dataSource, tenant.id, owner.id, 'OWNER');
      const token = await loginAs(t, owner);
      expect(
        (await as(t, token).delete(`/tenants/${tenant.id}/members/${owner.id}`).expect(409)).body
          .code,
      ).toBe('conflict');
    });
  });

  describe('PUT / DELETE /tenants/:id/seats/:userId', () => {
    it('401; 403 tenancy_denied for a MEMBER; 404 for another tenant and for a non-member', async () => {
      await anon().put(`/tenants/${w.t1.id}/seats/${w.loner.id}`).expect(401);
      await anon().delete(`/tenants/${w.t1.id}/seats/${w.loner.id}`).expect(401);
      expect(
        (await as(t, w.member.token).put(`/tenants/${w.t1.id}/seats/${w.loner.id}`).expect(403))
          .body.code,
      ).toBe('tenancy_denied');
      expect(
        (await as(t, w.member.token).delete(`/tenants/${w.t1.id}/seats/${w.loner.id}`).expect(403))
          .body.code,
      ).toBe('tenancy_denied');
      await as(t, w.owner2.token).put(`/tenants/${w.t1.id}/seats/${w.loner.id}`).expect(404);
      await as(t, w.owner.token).put(`/tenants/${w.t1.id}/seats/${w.member2.id}`).expect(404);
    });

    it('grant within seatLimit (idempotent), 409 when full, revoke restores the previous tier and expiry', async () => {
      const ds = t.dataSource;
      const tenant = await createTenant(ds, { seatLimit: 1 });
      const admin = await caller(t);
      await addTenantMember(ds, tenant.id, admin.id, 'ADMIN');
      const adminToken = await loginAs(t, admin);
      const expires = new Date(Date.now() + 30 * 86_400_000);
      const first = await createUser(ds, { tier: 'user_free', tierExpiresAt: expires });
      const second = await createUser(ds, { tier: 'user_pro' });
      await addTenantMember(ds, tenant.id, first.id, 'MEMBER');
      await addTenantMember(ds, tenant.id, second.id, 'MEMBER');
      const firstToken = await loginAs(t, first);

      const granted = await as(t, adminToken)
        .put(`/tenants/${tenant.id}/seats/${first.id}`)
        .expect(200);
      expect(granted.body).toMatchObject({
        tenantId: tenant.id,
        userId: first.id,
        tier: 'user_enterprise',
        previousTier: 'user_free',
        grantedBy: admin.id,
      });
      expect(await tierOf(t, first.id)).toEqual({ tier: 'user_enterprise', expiresAt: null });
      await as(t, firstToken).get('/me').expect(401);
      const again = await as(t, adminToken)
        .put(`/tenants/${tenant.id}/seats/${first.id}`)
        .expect(200);
      expect(again.body).toEqual(granted.body);

      const full = await as(t, adminToken)
        .put(`/tenants/${tenant.id}/seats/${second.id}`)
        .expect(409);
      expect(full.body.code).toBe('conflict');
      // The platform may not lower the limit below the seats in use.
      await as(t, w.admin.token).patch(`/tenants/${tenant.id}`, { seatLimit: 0 }).expect(409);
      const members = await as(t, adminToken).get(`/tenants/${tenant.id}/members`).expect(200);
      expect(
        members.body.items.find((m: { userId: string }) => m.userId === first.id),
      ).toMatchObject({ seat: true, tier: 'user_enterprise' });
      expect(
        (await as(t, adminToken).get(`/tenants/${tenant.id}`).expect(200)).body.seatsUsed,
      ).toBe(1);

      const refreshed = await loginAs(t, first);
      await as(t, adminToken).delete(`/tenants/${tenant.id}/seats/${first.id}`).expect(204);
      expect(await tierOf(t, first.id)).toEqual({ tier: 'user_free', expiresAt: expires });
      await as(t, refreshed).get('/me').expect(401);
      await as(t, adminToken).delete(`/tenants/${tenant.id}/seats/${first.id}`).expect(404);
      expect(await auditRows(t, 'seat.grant', first.id)).toHaveLength(1);
      expect(await auditRows(t, 'seat.revoke', first.id)).toHaveLength(1);

      // The freed seat can go to someone else.
      await as(t, adminToken).put(`/tenants/${tenant.id}/seats/${second.id}`).expect(200);
    });

    it('409 with seatLimit null (= 0 seats) and for a partner tier', async () => {
      const ds = t.dataSource;
      const user = await createUser(ds, { tier: 'user_pro' });
      await addTenantMember(ds, w.t2.id, user.id, 'MEMBER');
      await as(t, w.owner2.token).put(`/tenants/${w.t2.id}/seats/${user.id}`).expect(409);
      const tenant = await createTenant(ds, { seatLimit: 5 });
      const partner = await createUser(ds, { tier: 'partner_paid' });
      await addTenantMember(ds, tenant.id, partner.id, 'MEMBER');
      await as(t, w.admin.token).put(`/tenants/${tenant.id}/seats/${partner.id}`).expect(409);
    });
  });
});
