import { addClinicMember, addTenantMember } from '../factories/tenancy';
import { createUser, loginAs } from '../factories/users';
import { startTestApp, type TestApp } from '../harness/test-app';
import {
  as,
  auditRows,
  buildTenancyWorld,
  caller,
  type TenancyWorld,
} from './support/tenancy-world';

/**
 * API.md "Check-ins" (seed 003; D11: private means private, even for the tenant's OWNER).
 * World: T1 (OWNER owner, ADMIN tadmin; C1: cadmin ADMIN + member; C2: c2member), T2 (owner2,
 * member2 in C3), solo (no tenant), admin (PLATFORM_ADMIN).
 */
describe('Check-ins (e2e)', () => {
  let t: TestApp;
  let w: TenancyWorld;
  /** member's check-ins: private; non-private shared with C1; non-private unshared. */
  let priv: string;
  let shared: string;
  let unshared: string;
  let other: string;

  beforeAll(async () => {
    t = await startTestApp({ env: { RATE_LIMIT_AUTH_PER_IP: '100000' } });
    w = await buildTenancyWorld(t);
    const m = as(t, w.member.token);
    priv = (await m.post('/check-ins', { mood: 3, note: 'rough day', isPrivate: true }).expect(201))
      .body.id;
    shared = (await m.post('/check-ins', { mood: 7, note: 'better', isPrivate: false }).expect(201))
      .body.id;
    unshared = (await m.post('/check-ins', { mood: 8, isPrivate: false }).expect(201)).body.id;
    await m.post(`/check-ins/${shared}/shares`, { clinicId: w.c1.id }).expect(201);
    other = (
      await as(t, w.member2.token).post('/check-ins', { mood: 5, isPrivate: false }).expect(201)
    ).body.id;
  });
  afterAll(() => t.close());

  const anon = () => as(t, null);
  const ids = (body: { items: { id: string }[] }): string[] => body.items.map((x) => x.id);

  describe('POST /check-ins', () => {
    it('401 without a token', async () => {
      await anon().post('/check-ins', { mood: 5, isPrivate: true }).expect(401);
    });

    it('400 on a mood outside 1–10, a missing isPrivate or a field it does not accept', async () => {
      for (const body of [
        { mood: 11, isPrivate: true },
        { mood: 0, isPrivate: true },
        { mood: 5 },
        { mood: 5, isPrivate: true, tenantId: w.t2.id },
      ]) {
        expect((await as(t, w.solo.token).post('/check-ins', body).expect(400)).body.code).toBe(
          'validation_failed',
        );
      }
    });

    it('201 with the resource, in the author’s tenant (or none for a solo user)', async () => {
      const res = await as(t, w.loner.token)
        .post('/check-ins', { mood: 6, note: 'ok', isPrivate: false })
        .expect(201);
      expect(res.body).toEqual({
        id: expect.any(String),
        authorId: w.loner.id,
        tenantId: w.t1.id,
        mood: 6,
        note: 'ok',
        isPrivate: false,
        checkInDate: new Date().toISOString().slice(0, 10),
        sharedWith: [],
        createdAt: expect.any(String),
        updatedAt: expect.any(String),
      });
      const solo = await as(t, w.solo.token)
        .post('/check-ins', { mood: 4, isPrivate: true })
        .expect(201);
      expect(solo.body).toMatchObject({ tenantId: null, note: null });
    });
  });

  describe('GET /check-ins', () => {
    it('401 without a token; 400 on an unknown scope', async () => {
      await anon().get('/check-ins').expect(401);
      await as(t, w.member.token).get('/check-ins?scope=all').expect(400);
    });

    it('scope=own (default): the caller’s own, private included, newest first', async () => {
      const res = await as(t, w.member.token).get('/check-ins').expect(200);
      expect(ids(res.body)).toEqual([unshared, shared, priv]);
      expect(res.body.items[1].sharedWith).toEqual([w.c1.id]);
      expect(res.body.nextCursor).toBeNull();
    });

    it('scope=clinic: non-private check-ins shared with the caller’s clinics, any author', async () => {
      expect(
        ids((await as(t, w.cadmin.token).get('/check-ins?scope=clinic').expect(200)).body),
      ).toEqual([shared]);
      expect(
        ids((await as(t, w.c2member.token).get('/check-ins?scope=clinic').expect(200)).body),
      ).toEqual([]);
      expect(
        ids((await as(t, w.solo.token).get('/check-ins?scope=clinic').expect(200)).body),
      ).toEqual([]);
      expect(
        ids(
          (
            await as(t, w.cadmin.token)
              .get(`/check-ins?scope=clinic&clinicId=${w.c1.id}`)
              .expect(200)
          ).body,
        ),
      ).toEqual([shared]);
      await as(t, w.cadmin.token).get(`/check-ins?scope=clinic&clinicId=${w.c3.id}`).expect(404);
    });

    it('scope=tenant: 403 tenancy_denied for anyone but OWNER/ADMIN', async () => {
      for (const c of [w.member, w.cadmin, w.solo]) {
        const res = await as(t, c.token).get('/check-ins?scope=tenant').expect(403);
        expect(res.body).toMatchObject({ code: 'tenancy_denied', action: 'read' });
      }
    });

    it('scope=tenant: every non-private check-in of the tenant for OWNER/ADMIN — never a private one (D11)', async () => {
      const res = await as(t, w.owner.token).get('/check-ins?scope=tenant&limit=200').expect(200);
      expect(ids(res.body)).toEqual(expect.arrayContaining([shared, unshared]));
      expect(ids(res.body)).not.toContain(priv);
      expect(ids(res.body)).not.toContain(other);
      await as(t, w.owner.token).get(`/check-ins?scope=tenant&tenantId=${w.t2.id}`).expect(404);
      expect(
        ids((await as(t, w.owner2.token).get('/check-ins?scope=tenant').expect(200)).body),
      ).toEqual([other]);
    });

    it('scope=tenant for PLATFORM_ADMIN: one tenant with tenantId, every tenant without', async () => {
      const one = await as(t, w.admin.token)
        .get(`/check-ins?scope=tenant&tenantId=${w.t2.id}`)
        .expect(200);
      expect(ids(one.body)).toEqual([other]);
      const all = await as(t, w.admin.token).get('/check-ins?scope=tenant&limit=200').expect(200);
      expect(ids(all.body)).toEqual(expect.arrayContaining([shared, unshared, other]));
      expect(ids(all.body)).not.toContain(priv);
    });

    it('paginates with a keyset cursor', async () => {
      const user = await caller(t);
      const made: string[] = [];
      for (let i = 1; i <= 5; i++)
        made.unshift(
          (await as(t, user.token).post('/check-ins', { mood: i, isPrivate: true }).expect(201))
            .body.id,
        );
      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const res: { body: { items: { id: string }[]; nextCursor: string | null } } = await as(
          t,
          user.token,
        )
          .get(`/check-ins?limit=2${cursor ? `&cursor=${cursor}` : ''}`)
          .expect(200);
        seen.push(...ids(res.body));
        cursor = res.body.nextCursor;
        pages++;
      } while (cursor);
      expect(pages).toBe(3);
      expect(seen).toEqual(made);
    });
  });

  describe('GET /check-ins/:id', () => {
    it('401; the author reads their own; 400 on a malformed id', async () => {
      await anon().get(`/check-ins/${priv}`).expect(401);
      expect(
        (await as(t, w.member.token).get(`/check-ins/${priv}`).expect(200)).body,
      ).toMatchObject({ id: priv, isPrivate: true });
      await as(t, w.member.token).get('/check-ins/nope').expect(400);
    });

    it('a private check-in is 404 for everyone else, the tenant OWNER included (D11)', async () => {
      for (const c of [w.owner, w.tadmin, w.cadmin, w.member2, w.solo])
        await as(t, c.token).get(`/check-ins/${priv}`).expect(404);
    });

    it('a shared one is visible to the clinic’s members and the tenant’s OWNER/ADMIN, not to other clinics or tenants', async () => {
      await as(t, w.cadmin.token).get(`/check-ins/${shared}`).expect(200);
      await as(t, w.owner.token).get(`/check-ins/${shared}`).expect(200);
      await as(t, w.c2member.token).get(`/check-ins/${shared}`).expect(404);
      await as(t, w.owner2.token).get(`/check-ins/${shared}`).expect(404);
      await as(t, w.cadmin.token).get(`/check-ins/${unshared}`).expect(404);
      await as(t, w.owner.token).get(`/check-ins/${unshared}`).expect(200);
    });

    it('PLATFORM_ADMIN reads a private one, and the read is audited', async () => {
      const res = await as(t, w.admin.token).get(`/check-ins/${priv}`).expect(200);
      expect(res.body.note).toBe('rough day');
      const audit = await auditRows(t, 'check_in.private_read', priv);
      expect(audit).toHaveLength(1);
      expect(audit[0]).toMatchObject({
        actor_id: w.admin.id,
        tenant_id: w.t1.id,
        details: { authorId: w.member.id },
      });
      await as(t, w.member.token).get(`/check-ins/${priv}`).expect(200);
      expect(await auditRows(t, 'check_in.private_read', priv)).toHaveLength(1);
    });
  });

  describe('PATCH /check-ins/:id', () => {
    it('401; 404 out of scope; 403 action_denied for readers who are not the author', async () => {
      await anon().patch(`/check-ins/${shared}`, { mood: 1 }).expect(401);
      await as(t, w.owner2.token).patch(`/check-ins/${shared}`, { mood: 1 }).expect(404);
      for (const c of [w.cadmin, w.owner]) {
        const res = await as(t, c.token).patch(`/check-ins/${shared}`, { mood: 1 }).expect(403);
        expect(res.body).toMatchObject({ code: 'action_denied', action: 'update' });
      }
    });

    it('the author changes it; making it private ends its shares', async () => {
      const m = as(t, w.member.token);
      const id = (await m.post('/check-ins', { mood: 5, isPrivate: false }).expect(201)).body.id;
      await m.post(`/check-ins/${id}/shares`, { clinicId: w.c1.id }).expect(201);
      const res = await m
        .patch(`/check-ins/${id}`, { mood: 9, note: null, isPrivate: true })
        .expect(200);
      expect(res.body).toMatchObject({ id, mood: 9, note: null, isPrivate: true, sharedWith: [] });
      await as(t, w.cadmin.token).get(`/check-ins/${id}`).expect(404);
      await m.patch(`/check-ins/${id}`, { authorId: w.solo.id }).expect(400);
    });

    it('PLATFORM_ADMIN may change it (audited)', async () => {
      await as(t, w.admin.token).patch(`/check-ins/${unshared}`, { mood: 2 }).expect(200);
      expect(await auditRows(t, 'check_in.admin_update', unshared)).toHaveLength(1);
    });
  });

  describe('DELETE /check-ins/:id', () => {
    it('401; 404 out of scope; 403 action_denied for the tenant OWNER; 204 for the author', async () => {
      const id = (
        await as(t, w.member.token).post('/check-ins', { mood: 5, isPrivate: false }).expect(201)
      ).body.id;
      await anon().delete(`/check-ins/${id}`).expect(401);
      await as(t, w.owner2.token).delete(`/check-ins/${id}`).expect(404);
      expect((await as(t, w.owner.token).delete(`/check-ins/${id}`).expect(403)).body.code).toBe(
        'action_denied',
      );
      await as(t, w.member.token).delete(`/check-ins/${id}`).expect(204);
      await as(t, w.member.token).get(`/check-ins/${id}`).expect(404);
    });
  });

  describe('POST /check-ins/:id/shares', () => {
    it('401; 404 out of scope; 403 action_denied for a reader who is not the author', async () => {
      await anon().post(`/check-ins/${unshared}/shares`, { clinicId: w.c1.id }).expect(401);
      await as(t, w.member2.token)
        .post(`/check-ins/${unshared}/shares`, { clinicId: w.c3.id })
        .expect(404);
      const res = await as(t, w.owner.token)
        .post(`/check-ins/${unshared}/shares`, { clinicId: w.c1.id })
        .expect(403);
      expect(res.body).toMatchObject({ code: 'action_denied', action: 'create' });
    });

    it('the author shares with their clinic: 201; again → 409; private → 409', async () => {
      const m = as(t, w.member.token);
      const id = (await m.post('/check-ins', { mood: 5, isPrivate: false }).expect(201)).body.id;
      const res = await m.post(`/check-ins/${id}/shares`, { clinicId: w.c1.id }).expect(201);
      expect(res.body).toEqual({
        checkInId: id,
        clinicId: w.c1.id,
        tenantId: w.t1.id,
        createdAt: expect.any(String),
      });
      expect(
        (await m.post(`/check-ins/${id}/shares`, { clinicId: w.c1.id }).expect(409)).body.code,
      ).toBe('conflict');
      expect(
        (await m.post(`/check-ins/${priv}/shares`, { clinicId: w.c1.id }).expect(409)).body.code,
      ).toBe('conflict');
    });

    it('only to a clinic the author belongs to: another clinic of the tenant 403, another tenant’s 404', async () => {
      const m = as(t, w.member.token);
      expect(
        (await m.post(`/check-ins/${unshared}/shares`, { clinicId: w.c2.id }).expect(403)).body
          .code,
      ).toBe('action_denied');
      await m.post(`/check-ins/${unshared}/shares`, { clinicId: w.c3.id }).expect(404);
      await m.post(`/check-ins/${unshared}/shares`, { clinicId: 'x' }).expect(400);
    });
  });

  describe('DELETE /check-ins/:id/shares/:clinicId', () => {
    it('401; 403 action_denied for a clinic member who is not the author; 404 for another tenant', async () => {
      await anon().delete(`/check-ins/${shared}/shares/${w.c1.id}`).expect(401);
      expect(
        (await as(t, w.cadmin.token).delete(`/check-ins/${shared}/shares/${w.c1.id}`).expect(403))
          .body.code,
      ).toBe('action_denied');
      await as(t, w.owner2.token).delete(`/check-ins/${shared}/shares/${w.c1.id}`).expect(404);
    });

    it('the tenant OWNER removes a share (audited); the author too; a missing share is 404', async () => {
      const m = as(t, w.member.token);
      const id = (await m.post('/check-ins', { mood: 5, isPrivate: false }).expect(201)).body.id;
      await m.post(`/check-ins/${id}/shares`, { clinicId: w.c1.id }).expect(201);
      await as(t, w.owner.token).delete(`/check-ins/${id}/shares/${w.c1.id}`).expect(204);
      expect(await auditRows(t, 'check_in_share.admin_remove', `${id}/${w.c1.id}`)).toHaveLength(1);
      await m.delete(`/check-ins/${id}/shares/${w.c1.id}`).expect(404);
      await m.post(`/check-ins/${id}/shares`, { clinicId: w.c1.id }).expect(201);
      await m.delete(`/check-ins/${id}/shares/${w.c1.id}`).expect(204);
      expect((await m.get(`/check-ins/${id}`).expect(200)).body.sharedWith).toEqual([]);
    });
  });

  describe('GET /check-ins/streak', () => {
    it('401 without a token', async () => {
      await anon().get('/check-ins/streak').expect(401);
    });

    it('counts consecutive UTC days: current back from today or yesterday, longest ever', async () => {
      const user = await createUser(t.dataSource);
      const token = await loginAs(t, user);
      expect((await as(t, token).get('/check-ins/streak').expect(200)).body).toEqual({
        current: 0,
        longest: 0,
      });
      const insert = (daysAgo: number) =>
        t.dataSource.query(
          `INSERT INTO check_ins (author_id, mood, is_private, check_in_date)
           VALUES ($1, 5, true, (now() AT TIME ZONE 'UTC')::date - $2::int)`,
          [user.id, daysAgo],
        );
      // A run of 4 long ago, and a current run of 2 ending yesterday (two check-ins on one day).
      for (const d of [20, 19, 18, 17, 2, 1, 1]) await insert(d);
      expect((await as(t, token).get('/check-ins/streak').expect(200)).body).toEqual({
        current: 2,
        longest: 4,
      });
      await as(t, token).post('/check-ins', { mood: 7, isPrivate: true }).expect(201);
      expect((await as(t, token).get('/check-ins/streak').expect(200)).body).toEqual({
        current: 3,
        longest: 4,
      });
      // Another user's check-ins never count.
      expect(
        (await as(t, w.solo.token).get('/check-ins/streak').expect(200)).body.longest,
      ).toBeLessThanOrEqual(1);
    });
  });

  describe('memberships and check-ins', () => {
    it('a member removed from a clinic stops sharing with it', async () => {
      const user = await caller(t);
      await addTenantMember(t.dataSource, w.t1.id, user.id, 'MEMBER');
      await addClinicMember(t.dataSource, w.t1.id, w.c1.id, user.id, 'MEMBER');
      const token = await loginAs(t, user);
      const id = (await as(t, token).post('/check-ins', { mood: 5, isPrivate: false }).expect(201))
        .body.id;
      await as(t, token).post(`/check-ins/${id}/shares`, { clinicId: w.c1.id }).expect(201);
      await as(t, w.cadmin.token).delete(`/clinics/${w.c1.id}/members/${user.id}`).expect(204);
      await as(t, w.cadmin.token).get(`/check-ins/${id}`).expect(404);
    });
  });
});
