import { addClinicMember, addTenantMember, createClinic } from '../factories/tenancy';
import { createUser, loginAs } from '../factories/users';
import { startTestApp, type TestApp } from '../harness/test-app';
import {
  as,
  auditRows,
  buildTenancyWorld,
  caller,
  type TenancyWorld,
} from './support/tenancy-world';

/** API.md "Tenancy": clinics and clinic members (seed 003's groups; D5, D9). */
describe('Tenancy: clinics and clinic members (e2e)', () => {
  let t: TestApp;
  let w: TenancyWorld;

  beforeAll(async () => {
    t = await startTestApp({ env: { RATE_LIMIT_AUTH_PER_IP: '100000' } });
    w = await buildTenancyWorld(t);
  });
  afterAll(() => t.close());

  const anon = () => as(t, null);

  /** A fresh T1 MEMBER (their token may die in the test without harming the world). */
  async function t1Member(): Promise<{ id: string; token: string }> {
    const user = await createUser(t.dataSource);
    await addTenantMember(t.dataSource, w.t1.id, user.id, 'MEMBER');
    return { id: user.id, token: await loginAs(t, user) };
  }

  describe('POST /tenants/:id/clinics', () => {
    it('401; 403 tenancy_denied for a MEMBER and a clinic ADMIN; 404 for another tenant; 400 on an empty name', async () => {
      await anon().post(`/tenants/${w.t1.id}/clinics`, { name: 'X' }).expect(401);
      for (const c of [w.member, w.cadmin]) {
        expect(
          (await as(t, c.token).post(`/tenants/${w.t1.id}/clinics`, { name: 'X' }).expect(403)).body
            .code,
        ).toBe('tenancy_denied');
      }
      await as(t, w.owner.token).post(`/tenants/${w.t2.id}/clinics`, { name: 'X' }).expect(404);
      await as(t, w.owner.token).post(`/tenants/${w.t1.id}/clinics`, { name: '' }).expect(400);
    });

    it('OWNER/ADMIN create: 201 with the resource, audited; a taken name is 409', async () => {
      const res = await as(t, w.tadmin.token)
        .post(`/tenants/${w.t1.id}/clinics`, { name: 'East' })
        .expect(201);
      expect(res.body).toEqual({
        id: expect.any(String),
        tenantId: w.t1.id,
        name: 'East',
        createdAt: expect.any(String),
        updatedAt: expect.any(String),
      });
      expect(await auditRows(t, 'clinic.create', res.body.id)).toHaveLength(1);
      expect(
        (
          await as(t, w.owner.token)
            .post(`/tenants/${w.t1.id}/clinics`, { name: 'East' })
            .expect(409)
        ).body.code,
      ).toBe('conflict');
    });
  });

  describe('GET /tenants/:id/clinics', () => {
    it('401; 403 tenancy_denied without a tenant; 404 for another tenant; members list them, in pages', async () => {
      await anon().get(`/tenants/${w.t1.id}/clinics`).expect(401);
      expect(
        (await as(t, w.solo.token).get(`/tenants/${w.t1.id}/clinics`).expect(403)).body.code,
      ).toBe('tenancy_denied');
      await as(t, w.loner.token).get(`/tenants/${w.t2.id}/clinics`).expect(404);
      const all = await as(t, w.loner.token)
        .get(`/tenants/${w.t1.id}/clinics?limit=200`)
        .expect(200);
      const ids = all.body.items.map((c: { id: string }) => c.id);
      expect(ids).toEqual(expect.arrayContaining([w.c1.id, w.c2.id]));
      expect(ids).not.toContain(w.c3.id);
      const first = await as(t, w.loner.token)
        .get(`/tenants/${w.t1.id}/clinics?limit=1`)
        .expect(200);
      const second = await as(t, w.loner.token)
        .get(`/tenants/${w.t1.id}/clinics?limit=1&cursor=${first.body.nextCursor}`)
        .expect(200);
      expect([first.body.items[0].id, second.body.items[0].id]).toEqual(ids.slice(0, 2));
    });
  });

  describe('GET /clinics/:id', () => {
    it('401; tenant members 200; another tenant 404; PLATFORM_ADMIN 200', async () => {
      await anon().get(`/clinics/${w.c1.id}`).expect(401);
      expect(
        (await as(t, w.loner.token).get(`/clinics/${w.c1.id}`).expect(200)).body,
      ).toMatchObject({ id: w.c1.id, tenantId: w.t1.id, name: 'C1' });
      await as(t, w.member.token).get(`/clinics/${w.c3.id}`).expect(404);
      expect((await as(t, w.solo.token).get(`/clinics/${w.c1.id}`).expect(403)).body.code).toBe(
        'tenancy_denied',
      );
      await as(t, w.admin.token).get(`/clinics/${w.c3.id}`).expect(200);
    });
  });

  describe('PATCH /clinics/:id', () => {
    it('401; 403 tenancy_denied for a MEMBER; 404 for another tenant', async () => {
      await anon().patch(`/clinics/${w.c1.id}`, { name: 'X' }).expect(401);
      expect(
        (await as(t, w.member.token).patch(`/clinics/${w.c1.id}`, { name: 'X' }).expect(403)).body
          .code,
      ).toBe('tenancy_denied');
      await as(t, w.owner.token).patch(`/clinics/${w.c3.id}`, { name: 'X' }).expect(404);
    });

    it('a clinic ADMIN renames their clinic (audited), not another one (403 action_denied)', async () => {
      const res = await as(t, w.cadmin.token)
        .patch(`/clinics/${w.c1.id}`, { name: 'C1 North' })
        .expect(200);
      expect(res.body).toMatchObject({ id: w.c1.id, name: 'C1 North' });
      expect((await auditRows(t, 'clinic.update', w.c1.id))[0].details).toEqual({
        changes: { name: { from: 'C1', to: 'C1 North' } },
      });
      const denied = await as(t, w.cadmin.token)
        .patch(`/clinics/${w.c2.id}`, { name: 'Mine' })
        .expect(403);
      expect(denied.body).toMatchObject({ code: 'action_denied', action: 'update' });
      expect(
        (await as(t, w.owner.token).patch(`/clinics/${w.c1.id}`, { name: 'C2' }).expect(409)).body
          .code,
      ).toBe('conflict');
      await as(t, w.owner.token).patch(`/clinics/${w.c1.id}`, { name: 'C1' }).expect(200);
    });
  });

  describe('DELETE /clinics/:id', () => {
    it('401; 403 for a MEMBER and a clinic ADMIN; 404 for another tenant', async () => {
      await anon().delete(`/clinics/${w.c1.id}`).expect(401);
      for (const c of [w.member, w.cadmin])
        await as(t, c.token).delete(`/clinics/${w.c1.id}`).expect(403);
      await as(t, w.owner.token).delete(`/clinics/${w.c3.id}`).expect(404);
    });

    it('403 action_denied for a clinic ADMIN deleting its clinic (API.md example)', async () => {
      const res = await as(t, w.cadmin.token).delete(`/clinics/${w.c1.id}`);
      expect(res.body.code).toBe('action_denied');
    });

    it('the OWNER deletes a clinic: 204, its members’ tokens die, audited', async () => {
      const clinic = await createClinic(t.dataSource, w.t1.id);
      const m = await t1Member();
      await addClinicMember(t.dataSource, w.t1.id, clinic.id, m.id, 'MEMBER');
      const token = await loginAs(t, { ...(await createUserRow(m.id)) });
      await as(t, w.owner.token).delete(`/clinics/${clinic.id}`).expect(204);
      await as(t, token).get('/me').expect(401);
      await as(t, w.owner.token).get(`/clinics/${clinic.id}`).expect(404);
      expect(await auditRows(t, 'clinic.delete', clinic.id)).toHaveLength(1);
    });
  });

  describe('GET /clinics/:id/members', () => {
    it('401; 403 tenancy_denied for a member in no clinic and for another clinic’s member; 404 for another tenant', async () => {
      await anon().get(`/clinics/${w.c1.id}/members`).expect(401);
      expect(
        (await as(t, w.loner.token).get(`/clinics/${w.c1.id}/members`).expect(403)).body.code,
      ).toBe('tenancy_denied');
      expect(
        (await as(t, w.c2member.token).get(`/clinics/${w.c1.id}/members`).expect(403)).body.code,
      ).toBe('tenancy_denied');
      await as(t, w.member.token).get(`/clinics/${w.c3.id}/members`).expect(404);
    });

    it('the clinic’s members and the tenant OWNER/ADMIN list them', async () => {
      const res = await as(t, w.member.token).get(`/clinics/${w.c1.id}/members`).expect(200);
      expect(
        res.body.items.map((m: { userId: string; role: string }) => [m.userId, m.role]),
      ).toEqual(
        expect.arrayContaining([
          [w.cadmin.id, 'ADMIN'],
          [w.member.id, 'MEMBER'],
        ]),
      );
      const owner = await as(t, w.owner.token).get(`/clinics/${w.c2.id}/members`).expect(200);
      expect(owner.body.items.map((m: { userId: string }) => m.userId)).toEqual([w.c2member.id]);
    });
  });

  describe('POST /clinics/:id/members', () => {
    it('401; 403 tenancy_denied for a MEMBER; 404 for another tenant and for a user outside the tenant', async () => {
      await anon()
        .post(`/clinics/${w.c1.id}/members`, { userId: w.loner.id, role: 'MEMBER' })
        .expect(401);
      expect(
        (
          await as(t, w.member.token)
            .post(`/clinics/${w.c1.id}/members`, { userId: w.loner.id, role: 'MEMBER' })
            .expect(403)
        ).body.code,
      ).toBe('tenancy_denied');
      await as(t, w.owner.token)
        .post(`/clinics/${w.c3.id}/members`, { userId: w.loner.id, role: 'MEMBER' })
        .expect(404);
      await as(t, w.owner.token)
        .post(`/clinics/${w.c1.id}/members`, { userId: w.member2.id, role: 'MEMBER' })
        .expect(404);
      await as(t, w.owner.token)
        .post(`/clinics/${w.c1.id}/members`, { userId: w.loner.id, role: 'BOSS' })
        .expect(400);
    });

    it('a clinic ADMIN adds MEMBERs to their clinic only: ADMIN role or another clinic → 403 action_denied', async () => {
      const m = await t1Member();
      for (const [clinic, role] of [
        [w.c1.id, 'ADMIN'],
        [w.c2.id, 'MEMBER'],
      ]) {
        const res = await as(t, w.cadmin.token)
          .post(`/clinics/${clinic}/members`, { userId: m.id, role })
          .expect(403);
        expect(res.body).toMatchObject({ code: 'action_denied', action: 'create' });
      }
      const res = await as(t, w.cadmin.token)
        .post(`/clinics/${w.c1.id}/members`, { userId: m.id, role: 'MEMBER' })
        .expect(201);
      expect(res.body).toMatchObject({
        tenantId: w.t1.id,
        clinicId: w.c1.id,
        userId: m.id,
        role: 'MEMBER',
      });
      await as(t, m.token).get('/me').expect(401);
      expect(await auditRows(t, 'clinic_member.add', `${w.c1.id}/${m.id}`)).toHaveLength(1);
      // Already in the clinic → 409; MEMBER of a second clinic → 409 (D5); ADMIN of it is fine.
      await as(t, w.owner.token)
        .post(`/clinics/${w.c1.id}/members`, { userId: m.id, role: 'ADMIN' })
        .expect(409);
      expect(
        (
          await as(t, w.owner.token)
            .post(`/clinics/${w.c2.id}/members`, { userId: m.id, role: 'MEMBER' })
            .expect(409)
        ).body.code,
      ).toBe('conflict');
      await as(t, w.owner.token)
        .post(`/clinics/${w.c2.id}/members`, { userId: m.id, role: 'ADMIN' })
        .expect(201);
    });
  });

  describe('PATCH /clinics/:id/members/:userId', () => {
    it('401; 403 action_denied for a clinic ADMIN (it manages members, not their role); 404 for a non-member and another tenant', async () => {
      await anon()
        .patch(`/clinics/${w.c1.id}/members/${w.member.id}`, { role: 'ADMIN' })
        .expect(401);
      expect(
        (
          await as(t, w.cadmin.token)
            .patch(`/clinics/${w.c1.id}/members/${w.member.id}`, { role: 'ADMIN' })
            .expect(403)
        ).body.code,
      ).toBe('action_denied');
      await as(t, w.owner.token)
        .patch(`/clinics/${w.c1.id}/members/${w.loner.id}`, { role: 'ADMIN' })
        .expect(404);
      await as(t, w.owner.token)
        .patch(`/clinics/${w.c3.id}/members/${w.member2.id}`, { role: 'ADMIN' })
        .expect(404);
    });

    it('OWNER/ADMIN promote and demote (token bump, audited); demotion to a second MEMBER clinic is 409', async () => {
      const m = await t1Member();
      await addClinicMember(t.dataSource, w.t1.id, w.c1.id, m.id, 'MEMBER');
      await addClinicMember(t.dataSource, w.t1.id, w.c2.id, m.id, 'ADMIN');
      const token = await loginAs(t, await createUserRow(m.id));
      await as(t, w.tadmin.token)
        .patch(`/clinics/${w.c2.id}/members/${m.id}`, { role: 'MEMBER' })
        .expect(409);
      const res = await as(t, w.tadmin.token)
        .patch(`/clinics/${w.c1.id}/members/${m.id}`, { role: 'ADMIN' })
        .expect(200);
      expect(res.body).toMatchObject({ userId: m.id, role: 'ADMIN' });
      await as(t, token).get('/me').expect(401);
      expect(
        (await auditRows(t, 'clinic_member.role_change', `${w.c1.id}/${m.id}`))[0].details,
      ).toMatchObject({ from: 'MEMBER', to: 'ADMIN' });
    });
  });

  describe('DELETE /clinics/:id/members/:userId', () => {
    it('401; 403 tenancy_denied for a member in no clinic; 404 for another tenant', async () => {
      await anon().delete(`/clinics/${w.c1.id}/members/${w.member.id}`).expect(401);
      expect(
        (
          await as(t, w.loner.token)
            .delete(`/clinics/${w.c1.id}/members/${w.member.id}`)
            .expect(403)
        ).body.code,
      ).toBe('tenancy_denied');
      await as(t, w.owner.token).delete(`/clinics/${w.c3.id}/members/${w.member2.id}`).expect(404);
    });

    it('403 action_denied: a MEMBER removing a colleague, a clinic ADMIN removing another ADMIN', async () => {
      const other = await t1Member();
      await addClinicMember(t.dataSource, w.t1.id, w.c1.id, other.id, 'ADMIN');
      expect(
        (
          await as(t, w.member.token)
            .delete(`/clinics/${w.c1.id}/members/${w.cadmin.id}`)
            .expect(403)
        ).body.code,
      ).toBe('action_denied');
      expect(
        (await as(t, w.cadmin.token).delete(`/clinics/${w.c1.id}/members/${other.id}`).expect(403))
          .body.code,
      ).toBe('action_denied');
    });

    it('a clinic ADMIN removes a MEMBER; a member leaves; the OWNER removes an ADMIN — tokens die, audited', async () => {
      const a = await t1Member();
      const b = await t1Member();
      const c = await t1Member();
      await addClinicMember(t.dataSource, w.t1.id, w.c1.id, a.id, 'MEMBER');
      await addClinicMember(t.dataSource, w.t1.id, w.c2.id, b.id, 'MEMBER');
      await addClinicMember(t.dataSource, w.t1.id, w.c1.id, c.id, 'ADMIN');
      const [ta, tb] = [
        await loginAs(t, await createUserRow(a.id)),
        await loginAs(t, await createUserRow(b.id)),
      ];
      await as(t, w.cadmin.token).delete(`/clinics/${w.c1.id}/members/${a.id}`).expect(204);
      await as(t, ta).get('/me').expect(401);
      await as(t, tb).delete(`/clinics/${w.c2.id}/members/${b.id}`).expect(204);
      await as(t, tb).get('/me').expect(401);
      await as(t, w.owner.token).delete(`/clinics/${w.c1.id}/members/${c.id}`).expect(204);
      expect(await auditRows(t, 'clinic_member.remove', `${w.c1.id}/${a.id}`)).toHaveLength(1);
      expect(
        (await auditRows(t, 'clinic_member.remove', `${w.c2.id}/${b.id}`))[0].details,
      ).toMatchObject({ left: true });
    });
  });

  /** The TestUser of an existing user id (default test password), to log in again after a bump. */
  async function createUserRow(
    id: string,
  ): Promise<{ id: string; email: string; password: string; tier: 'user_pro' }> {
    const rows: { email: string }[] = await t.dataSource.query(
      `SELECT email FROM users WHERE id = $1`,
      [id],
    );
    return { id, email: rows[0].email, password: 'test-password-0123456789', tier: 'user_pro' };
  }

  it('caller() helper users have no tenant (sanity)', async () => {
    const c = await caller(t);
    expect((await as(t, c.token).get('/me').expect(200)).body.tenant).toBeNull();
  });
});
