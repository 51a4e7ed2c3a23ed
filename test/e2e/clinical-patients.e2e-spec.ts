import { createPatient } from '../factories/clinical';
import { startTestApp, type TestApp } from '../harness/test-app';
import { bearer, buildClinicalWorld, type ClinicalWorld } from './support/clinical-world';

// The project-level testTimeout is not applied in multi-project runs (it is a global option):
// under a loaded machine an app boot plus logins can take more than Jest's 5 s default.
jest.setTimeout(60_000);

describe('Clinical: patients (e2e)', () => {
  let t: TestApp;
  let w: ClinicalWorld;

  beforeAll(async () => {
    t = await startTestApp({ env: { FREE_TIER_ACTIVE_PATIENTS: '3', LOG_LEVEL: 'error' } });
    w = await buildClinicalWorld(t);
  }, 60_000);
  afterAll(() => t.close());

  describe('POST /patients', () => {
    it('401 without a token', async () => {
      const res = await t.http().post('/patients').send({});
      expect(res.status).toBe(401);
      expect(res.body.code).toBe('unauthenticated');
    });

    it('403 feature_denied for a read tier (beta_observer), whatever the body', async () => {
      const res = await t
        .http()
        .post('/patients')
        .set(...bearer(w.observer))
        .send({ bogus: true });
      expect(res.status).toBe(403);
      expect(res.body).toMatchObject({
        code: 'feature_denied',
        feature: 'wellness_journey',
        action: 'create',
        tier: 'beta_observer',
      });
    });

    it('400 on isTest / ownerId / tenantId / subjectId in the body', async () => {
      for (const field of ['isTest', 'ownerId', 'tenantId', 'subjectId']) {
        const res = await t
          .http()
          .post('/patients')
          .set(...bearer(w.member))
          .send({ [field]: field === 'isTest' ? true : 'x' });
        expect(res.status).toBe(400);
        expect(res.body.code).toBe('validation_failed');
        expect(res.body.details[0].field).toBe(field);
      }
    });

    it('201: a live patient in the caller’s clinic with a 10-character subject id', async () => {
      const res = await t
        .http()
        .post('/patients')
        .set(...bearer(w.member))
        .send({ initials: 'JD', clinicId: w.c1, substance: 'ibogaine', medications: ['Suboxone'] });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({
        subjectId: expect.stringMatching(/^[A-Z0-9]{10}$/),
        isTest: false,
        phase: 'intake',
        clinicId: w.c1,
        tenantId: w.t1,
        ownerId: w.member.id,
        initials: 'JD',
        medications: ['Suboxone'],
      });
    });

    it('404 for a clinic the caller may not use; a tenant OWNER may use any clinic of its tenant', async () => {
      expect(
        (
          await t
            .http()
            .post('/patients')
            .set(...bearer(w.member))
            .send({ clinicId: w.c2 })
        ).status,
      ).toBe(404);
      expect(
        (
          await t
            .http()
            .post('/patients')
            .set(...bearer(w.member))
            .send({ clinicId: w.c3 })
        ).status,
      ).toBe(404);
      const res = await t
        .http()
        .post('/patients')
        .set(...bearer(w.owner))
        .send({ clinicId: w.c2 });
      expect(res.status).toBe(201);
      expect(res.body.clinicId).toBe(w.c2);
      expect(
        (
          await t
            .http()
            .post('/patients')
            .set(...bearer(w.owner))
            .send({ clinicId: w.c3 })
        ).status,
      ).toBe(404);
    });

    it('a partner always creates a TEST- record without a clinic', async () => {
      const res = await t
        .http()
        .post('/patients')
        .set(...bearer(w.partner))
        .send({ clinicId: w.c1, substance: 'ketamine' });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ isTest: true, clinicId: null, ownerId: w.partner.id });
      expect(res.body.subjectId).toMatch(/^TEST-[A-Z0-9]{10}$/);
    });

    it('basic tier: at most FREE_TIER_ACTIVE_PATIENTS active patients → 403 tier_limit_reached; archiving frees a slot', async () => {
      const ids: string[] = [];
      for (let i = 0; i < 3; i++) {
        const res = await t
          .http()
          .post('/patients')
          .set(...bearer(w.free))
          .send({});
        expect(res.status).toBe(201);
        ids.push(res.body.id);
      }
      const fourth = await t
        .http()
        .post('/patients')
        .set(...bearer(w.free))
        .send({});
      expect(fourth.status).toBe(403);
      expect(fourth.body).toMatchObject({
        code: 'tier_limit_reached',
        feature: 'wellness_journey',
        action: 'create',
        tier: 'user_free',
      });
      expect(fourth.body.reason).toMatch(/3/);
      expect(
        (
          await t
            .http()
            .delete(`/patients/${ids[0]}`)
            .set(...bearer(w.free))
        ).status,
      ).toBe(204);
      expect(
        (
          await t
            .http()
            .post('/patients')
            .set(...bearer(w.free))
            .send({})
        ).status,
      ).toBe(201);
    });
  });

  describe('reads and scope', () => {
    let own: string;
    let clinicRow: string;
    let c2Row: string;
    let otherTenant: string;
    let partnerTest: string;

    beforeAll(async () => {
      own = (
        await createPatient(t.dataSource, { ownerId: w.member.id, tenantId: w.t1, clinicId: w.c1 })
      ).id;
      clinicRow = (
        await createPatient(t.dataSource, {
          ownerId: w.colleague.id,
          tenantId: w.t1,
          clinicId: w.c1,
        })
      ).id;
      c2Row = (
        await createPatient(t.dataSource, {
          ownerId: w.c2member.id,
          tenantId: w.t1,
          clinicId: w.c2,
        })
      ).id;
      otherTenant = (
        await createPatient(t.dataSource, { ownerId: w.other.id, tenantId: w.t2, clinicId: w.c3 })
      ).id;
      partnerTest = (
        await createPatient(t.dataSource, { ownerId: w.partner.id, tenantId: w.t1, isTest: true })
      ).id;
    });

    it('GET /patients/:id: own and clinic rows 200; other clinic, other tenant, test rows 404', async () => {
      expect(
        (
          await t
            .http()
            .get(`/patients/${own}`)
            .set(...bearer(w.member))
        ).status,
      ).toBe(200);
      expect(
        (
          await t
            .http()
            .get(`/patients/${clinicRow}`)
            .set(...bearer(w.member))
        ).status,
      ).toBe(200);
      expect(
        (
          await t
            .http()
            .get(`/patients/${c2Row}`)
            .set(...bearer(w.member))
        ).status,
      ).toBe(404);
      expect(
        (
          await t
            .http()
            .get(`/patients/${otherTenant}`)
            .set(...bearer(w.member))
        ).status,
      ).toBe(404);
      expect(
        (
          await t
            .http()
            .get(`/patients/${partnerTest}`)
            .set(...bearer(w.member))
        ).status,
      ).toBe(404);
      expect(
        (
          await t
            .http()
            .get(`/patients/${partnerTest}`)
            .set(...bearer(w.owner))
        ).status,
      ).toBe(404);
      // Tenant OWNER sees every live row of the tenant.
      expect(
        (
          await t
            .http()
            .get(`/patients/${c2Row}`)
            .set(...bearer(w.owner))
        ).status,
      ).toBe(200);
    });

    it('a partner sees its own test rows only, never a live patient of its own clinic', async () => {
      expect(
        (
          await t
            .http()
            .get(`/patients/${partnerTest}`)
            .set(...bearer(w.partner))
        ).status,
      ).toBe(200);
      expect(
        (
          await t
            .http()
            .get(`/patients/${clinicRow}`)
            .set(...bearer(w.partner))
        ).status,
      ).toBe(404);
      const list = await t
        .http()
        .get('/patients')
        .set(...bearer(w.partner));
      expect(list.status).toBe(200);
      expect(
        list.body.items.every(
          (p: { isTest: boolean; ownerId: string }) => p.isTest && p.ownerId === w.partner.id,
        ),
      ).toBe(true);
    });

    it('400 on a malformed id (before 404)', async () => {
      const res = await t
        .http()
        .get('/patients/not-a-uuid')
        .set(...bearer(w.member));
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('validation_failed');
    });

    it('GET /patients lists only rows in scope, newest first, with keyset pagination', async () => {
      const first = await t
        .http()
        .get('/patients?limit=1')
        .set(...bearer(w.member));
      expect(first.status).toBe(200);
      expect(first.body.items).toHaveLength(1);
      expect(first.body.nextCursor).toEqual(expect.any(String));
      const all: {
        id: string;
        isTest: boolean;
        clinicId: string | null;
        ownerId: string;
        createdAt: string;
      }[] = [];
      let cursor: string | null = null;
      type PageBody = { items: typeof all; nextCursor: string | null };
      do {
        const page: { status: number; body: PageBody } = await t
          .http()
          .get(`/patients?limit=2${cursor ? `&cursor=${cursor}` : ''}`)
          .set(...bearer(w.member));
        expect(page.status).toBe(200);
        all.push(...page.body.items);
        cursor = page.body.nextCursor;
      } while (cursor);
      const ids = all.map((p) => p.id);
      expect(new Set(ids).size).toBe(ids.length);
      expect(ids).toEqual(expect.arrayContaining([own, clinicRow]));
      expect(ids).not.toContain(c2Row);
      expect(ids).not.toContain(otherTenant);
      expect(all.every((p) => !p.isTest)).toBe(true);
      // Every page is the union of one page per rule (own rows, clinic rows): the pages
      // together are exactly the rows in scope (PRODUCT.md: own + own clinics, live, not
      // archived), newest first, each once.
      const expected: { id: string }[] = await t.dataSource.query(
        `SELECT id FROM patients
          WHERE NOT is_test AND archived_at IS NULL
            AND (owner_id = $1 OR (tenant_id = $2 AND clinic_id = $3))
          ORDER BY created_at DESC, id DESC`,
        [w.member.id, w.t1, w.c1],
      );
      expect(ids).toEqual(expected.map((r) => r.id));
    });

    it('a malformed cursor is 400; ?clinicId= of a clinic outside the tenant is 404', async () => {
      expect(
        (
          await t
            .http()
            .get('/patients?cursor=garbage')
            .set(...bearer(w.member))
        ).status,
      ).toBe(400);
      expect(
        (
          await t
            .http()
            .get(`/patients?clinicId=${w.c3}`)
            .set(...bearer(w.member))
        ).status,
      ).toBe(404);
      const res = await t
        .http()
        .get(`/patients?clinicId=${w.c1}`)
        .set(...bearer(w.member));
      expect(res.status).toBe(200);
      expect(res.body.items.every((p: { clinicId: string }) => p.clinicId === w.c1)).toBe(true);
    });

    it('includeTest: 403 action_denied for anyone but PLATFORM_ADMIN; admin lists hide test rows without it', async () => {
      const denied = await t
        .http()
        .get('/patients?includeTest=true')
        .set(...bearer(w.owner));
      expect(denied.status).toBe(403);
      expect(denied.body.code).toBe('action_denied');
      const plain = await t
        .http()
        .get('/patients?limit=200')
        .set(...bearer(w.admin));
      expect(plain.body.items.some((p: { isTest: boolean }) => p.isTest)).toBe(false);
      const withTest = await t
        .http()
        .get('/patients?limit=200&includeTest=true')
        .set(...bearer(w.admin));
      expect(withTest.body.items.some((p: { id: string }) => p.id === partnerTest)).toBe(true);
    });

    it('every PLATFORM_ADMIN read of patient data writes an audit row', async () => {
      const before: { n: number }[] = await t.dataSource.query(
        `SELECT count(*)::int AS n FROM audit_log WHERE action = 'patient_data.read'`,
      );
      expect(
        (
          await t
            .http()
            .get(`/patients/${otherTenant}`)
            .set(...bearer(w.admin))
        ).status,
      ).toBe(200);
      expect(
        (
          await t
            .http()
            .get('/patients')
            .set(...bearer(w.admin))
        ).status,
      ).toBe(200);
      const rows: { actor_id: string; subject_id: string | null; tenant_id: string | null }[] =
        await t.dataSource.query(
          `SELECT actor_id, subject_id, tenant_id FROM audit_log WHERE action = 'patient_data.read' ORDER BY created_at`,
        );
      expect(rows.length - before[0].n).toBe(2);
      expect(rows).toContainEqual({
        actor_id: w.admin.id,
        subject_id: otherTenant,
        tenant_id: w.t2,
      });
      // Non-admin reads are not audited.
      await t
        .http()
        .get(`/patients/${own}`)
        .set(...bearer(w.member));
      const after: { n: number }[] = await t.dataSource.query(
        `SELECT count(*)::int AS n FROM audit_log WHERE action = 'patient_data.read'`,
      );
      expect(after[0].n).toBe(rows.length);
    });
  });

  describe('PATCH / DELETE / phase', () => {
    it('PATCH updates fields; 404 out of scope; read tier 403', async () => {
      const p = await createPatient(t.dataSource, {
        ownerId: w.member.id,
        tenantId: w.t1,
        clinicId: w.c1,
      });
      const res = await t
        .http()
        .patch(`/patients/${p.id}`)
        .set(...bearer(w.colleague))
        .send({ substance: 'psilocybin', medications: ['lithium'] });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        substance: 'psilocybin',
        medications: ['lithium'],
        clinicId: w.c1,
      });
      expect(
        (
          await t
            .http()
            .patch(`/patients/${p.id}`)
            .set(...bearer(w.other))
            .send({ substance: 'x' })
        ).status,
      ).toBe(404);
      expect(
        (
          await t
            .http()
            .patch(`/patients/${p.id}`)
            .set(...bearer(w.observer))
            .send({ substance: 'x' })
        ).status,
      ).toBe(403);
      expect(
        (
          await t
            .http()
            .patch(`/patients/${p.id}`)
            .set(...bearer(w.member))
            .send({ clinicId: w.c2 })
        ).status,
      ).toBe(404);
      const moved = await t
        .http()
        .patch(`/patients/${p.id}`)
        .set(...bearer(w.owner))
        .send({ clinicId: w.c2 });
      expect(moved.body.clinicId).toBe(w.c2);
    });

    it('PATCH that would take a colleague’s patient out of the caller’s scope is 403 action_denied', async () => {
      const p = await createPatient(t.dataSource, {
        ownerId: w.member.id,
        tenantId: w.t1,
        clinicId: w.c1,
      });
      const res = await t
        .http()
        .patch(`/patients/${p.id}`)
        .set(...bearer(w.colleague))
        .send({ clinicId: null });
      expect(res.status).toBe(403);
      expect(res.body.code).toBe('action_denied');
      const own = await t
        .http()
        .patch(`/patients/${p.id}`)
        .set(...bearer(w.member))
        .send({ clinicId: null });
      expect(own.status).toBe(200);
      expect(own.body.clinicId).toBeNull();
    });

    it('DELETE archives a live patient (gone from reads, row kept) and deletes a test patient', async () => {
      const live = await createPatient(t.dataSource, {
        ownerId: w.member.id,
        tenantId: w.t1,
        clinicId: w.c1,
      });
      expect(
        (
          await t
            .http()
            .delete(`/patients/${live.id}`)
            .set(...bearer(w.member))
        ).status,
      ).toBe(204);
      expect(
        (
          await t
            .http()
            .get(`/patients/${live.id}`)
            .set(...bearer(w.member))
        ).status,
      ).toBe(404);
      const kept: { archived_at: Date | null }[] = await t.dataSource.query(
        `SELECT archived_at FROM patients WHERE id = $1`,
        [live.id],
      );
      expect(kept[0].archived_at).not.toBeNull();
      const test = await createPatient(t.dataSource, { ownerId: w.partner.id, isTest: true });
      expect(
        (
          await t
            .http()
            .delete(`/patients/${test.id}`)
            .set(...bearer(w.partner))
        ).status,
      ).toBe(204);
      expect(
        await t.dataSource.query(`SELECT 1 FROM patients WHERE id = $1`, [test.id]),
      ).toHaveLength(0);
    });

    it('phase moves one step forward, records each transition, 409 otherwise', async () => {
      const p = await createPatient(t.dataSource, {
        ownerId: w.member.id,
        tenantId: w.t1,
        clinicId: w.c1,
      });
      const skip = await t
        .http()
        .post(`/patients/${p.id}/phase`)
        .set(...bearer(w.member))
        .send({ phase: 'treatment' });
      expect(skip.status).toBe(409);
      expect(skip.body.code).toBe('conflict');
      for (const phase of ['preparation', 'treatment', 'integration', 'completed']) {
        const res = await t
          .http()
          .post(`/patients/${p.id}/phase`)
          .set(...bearer(w.member))
          .send({ phase });
        expect(res.status).toBe(200);
        expect(res.body.phase).toBe(phase);
      }
      expect(
        (
          await t
            .http()
            .post(`/patients/${p.id}/phase`)
            .set(...bearer(w.member))
            .send({ phase: 'intake' })
        ).status,
      ).toBe(409);
      expect(
        (
          await t
            .http()
            .post(`/patients/${p.id}/phase`)
            .set(...bearer(w.member))
            .send({ phase: 'bogus' })
        ).status,
      ).toBe(400);
      const log: { from_phase: string; to_phase: string; actor_id: string }[] =
        await t.dataSource.query(
          `SELECT from_phase, to_phase, actor_id FROM patient_phase_transitions WHERE patient_id = $1 ORDER BY at, id`,
          [p.id],
        );
      expect(log.map((r) => `${r.from_phase}>${r.to_phase}`)).toEqual([
        'intake>preparation',
        'preparation>treatment',
        'treatment>integration',
        'integration>completed',
      ]);
      expect(log.every((r) => r.actor_id === w.member.id)).toBe(true);
      expect(
        (
          await t
            .http()
            .post(`/patients/${p.id}/phase`)
            .set(...bearer(w.other))
            .send({ phase: 'completed' })
        ).status,
      ).toBe(404);
    });
  });
});
