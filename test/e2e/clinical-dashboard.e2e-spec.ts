import {
  createPatient,
  createPatients,
  createSession,
  createSessionsFor,
  createVitals,
} from '../factories/clinical';
import { startTestApp, type TestApp } from '../harness/test-app';
import { bearer, buildClinicalWorld, type ClinicalWorld } from './support/clinical-world';
import { countQueries } from './support/query-counter';

// The project-level testTimeout is not applied in multi-project runs (it is a global option):
// under a loaded machine an app boot plus logins can take more than Jest's 5 s default.
jest.setTimeout(60_000);

describe('Clinical: dashboard (e2e)', () => {
  let t: TestApp;
  let w: ClinicalWorld;

  beforeAll(async () => {
    t = await startTestApp();
    w = await buildClinicalWorld(t);
  }, 60_000);
  afterAll(() => t.close());

  it('401; 403 feature_denied for user_free (no dashboard)', async () => {
    expect((await t.http().get('/dashboard')).status).toBe(401);
    const res = await t
      .http()
      .get('/dashboard')
      .set(...bearer(w.free));
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({
      code: 'feature_denied',
      feature: 'multi_patient_dashboard',
      tier: 'user_free',
      action: 'read',
    });
  });

  it('active sessions in scope with the latest vitals and its alerts', async () => {
    const p = await createPatient(t.dataSource, {
      ownerId: w.member.id,
      tenantId: w.t1,
      clinicId: w.c1,
    });
    const active = await createSession(t.dataSource, p.id, {
      startedAt: new Date('2026-05-01T08:00:00Z'),
    });
    await createSession(t.dataSource, p.id, {
      startedAt: new Date('2026-04-01T08:00:00Z'),
      endedAt: new Date('2026-04-02T08:00:00Z'),
    });
    const other = await createPatient(t.dataSource, {
      ownerId: w.other.id,
      tenantId: w.t2,
      clinicId: w.c3,
    });
    await createSession(t.dataSource, other.id);
    await t
      .http()
      .post(`/sessions/${active}/vitals`)
      .set(...bearer(w.member))
      .send({ recordedAt: '2026-05-01T08:05:00Z', heartRate: 75, qtMs: 440 });
    await t
      .http()
      .post(`/sessions/${active}/vitals`)
      .set(...bearer(w.member))
      .send({ recordedAt: '2026-05-01T09:00:00Z', heartRate: 90, qtMs: 480 });
    // Logged later but recorded earlier: not the latest reading.
    await t
      .http()
      .post(`/sessions/${active}/vitals`)
      .set(...bearer(w.member))
      .send({ recordedAt: '2026-05-01T08:30:00Z', heartRate: 70, qtMs: 420 });

    const res = await t
      .http()
      .get('/dashboard')
      .set(...bearer(w.colleague));
    expect(res.status).toBe(200);
    expect(res.body.nextCursor).toBeNull();
    expect(res.body.items).toHaveLength(1);
    expect(res.body.items[0]).toMatchObject({
      sessionId: active,
      patientId: p.id,
      subjectId: p.subjectId,
      openAdverseEvents: 0,
    });
    expect(res.body.items[0].latestVitals).toMatchObject({
      recordedAt: '2026-05-01T09:00:00.000Z',
      qtcBazettMs: 587.9,
    });
    expect(res.body.items[0].alerts.map((a: { code: string }) => a.code)).toEqual([
      'qtc_over_500',
      'qtc_rise_over_60',
    ]);
    // A read tier sees its own (empty) demo board; a partner never sees live sessions.
    expect(
      (
        await t
          .http()
          .get('/dashboard')
          .set(...bearer(w.observer))
      ).body.items,
    ).toEqual([]);
    expect(
      (
        await t
          .http()
          .get('/dashboard')
          .set(...bearer(w.partner))
      ).body.items,
    ).toEqual([]);
  });

  it('issues a constant number of queries whatever the number of sessions (no query per row)', async () => {
    const owner = w.c2member;
    const ids = await createPatients(t.dataSource, 2, {
      ownerId: owner.id,
      tenantId: w.t1,
      clinicId: w.c2,
    });
    await createSessionsFor(t.dataSource, ids);
    const sessions: { id: string }[] = await t.dataSource.query(
      `SELECT id FROM treatment_sessions WHERE patient_id = ANY($1)`,
      [ids],
    );
    for (const s of sessions) await createVitals(t.dataSource, s.id, 3);

    const measure = async (path: string, expected: number) =>
      countQueries(async () => {
        const res = await t
          .http()
          .get(path)
          .set(...bearer(owner));
        expect(res.status).toBe(200);
        expect(res.body.items).toHaveLength(expected);
      });
    const small = await measure('/dashboard?limit=50', 2);
    const smallPatients = await measure('/patients?limit=50', 2);
    const smallSessions = await measure('/sessions?limit=50', 2);

    const more = await createPatients(t.dataSource, 18, {
      ownerId: owner.id,
      tenantId: w.t1,
      clinicId: w.c2,
    });
    await createSessionsFor(t.dataSource, more);
    const moreSessions: { id: string }[] = await t.dataSource.query(
      `SELECT id FROM treatment_sessions WHERE patient_id = ANY($1)`,
      [more],
    );
    for (const s of moreSessions) await createVitals(t.dataSource, s.id, 3);

    const large = await measure('/dashboard?limit=50', 20);
    const largePatients = await measure('/patients?limit=50', 20);
    const largeSessions = await measure('/sessions?limit=50', 20);
    process.stdout.write(
      `[clinical-dashboard] queries per request, 2 → 20 rows: dashboard ${small.queries} → ${large.queries}, ` +
        `patients ${smallPatients.queries} → ${largePatients.queries}, sessions ${smallSessions.queries} → ${largeSessions.queries}\n`,
    );
    expect(large.queries).toBe(small.queries);
    expect(largePatients.queries).toBe(smallPatients.queries);
    expect(largeSessions.queries).toBe(smallSessions.queries);
    // The dashboard's data is one statement: the rest is authentication and the transaction.
    expect(large.statements.filter((s) => /LEFT JOIN LATERAL/.test(s))).toHaveLength(1);
    expect(large.statements.filter((s) => /FROM vitals/.test(s))).toHaveLength(1);
  });

  it('keyset pagination is stable under concurrent inserts', async () => {
    const owner = w.c2member;
    const first = await t
      .http()
      .get('/dashboard?limit=5')
      .set(...bearer(owner));
    expect(first.body.items).toHaveLength(5);
    const newer = await createPatient(t.dataSource, {
      ownerId: owner.id,
      tenantId: w.t1,
      clinicId: w.c2,
    });
    await createSession(t.dataSource, newer.id);
    const seen = new Set(first.body.items.map((i: { sessionId: string }) => i.sessionId));
    let cursor: string | null = first.body.nextCursor;
    while (cursor) {
      const page = await t
        .http()
        .get(`/dashboard?limit=5&cursor=${cursor}`)
        .set(...bearer(owner));
      for (const item of page.body.items) {
        expect(seen.has(item.sessionId)).toBe(false);
        seen.add(item.sessionId);
      }
      cursor = page.body.nextCursor;
    }
    expect(seen.size).toBe(20);
  });

  it('PLATFORM_ADMIN: test sessions only with includeTest=true; others get 403 for includeTest', async () => {
    const test = await createPatient(t.dataSource, { ownerId: w.partner.id, isTest: true });
    const s = await createSession(t.dataSource, test.id);
    const plain = await t
      .http()
      .get('/dashboard?limit=200')
      .set(...bearer(w.admin));
    expect(plain.body.items.some((i: { sessionId: string }) => i.sessionId === s)).toBe(false);
    const withTest = await t
      .http()
      .get('/dashboard?limit=200&includeTest=true')
      .set(...bearer(w.admin));
    expect(withTest.body.items.some((i: { sessionId: string }) => i.sessionId === s)).toBe(true);
    expect(
      (
        await t
          .http()
          .get('/dashboard?includeTest=true')
          .set(...bearer(w.partner))
      ).status,
    ).toBe(403);
  });
});
