import { createPatient, createSession, type TestPatient } from '../factories/clinical';
import { startTestApp, type TestApp } from '../harness/test-app';
import { bearer, buildClinicalWorld, type ClinicalWorld } from './support/clinical-world';

// The project-level testTimeout is not applied in multi-project runs (it is a global option):
// under a loaded machine an app boot plus logins can take more than Jest's 5 s default.
jest.setTimeout(60_000);

describe('Clinical: sessions and vitals (e2e)', () => {
  let t: TestApp;
  let w: ClinicalWorld;
  let live: TestPatient;
  let otherTenant: TestPatient;
  let partnerTest: TestPatient;
  let observerTest: TestPatient;

  beforeAll(async () => {
    t = await startTestApp();
    w = await buildClinicalWorld(t);
    live = await createPatient(t.dataSource, {
      ownerId: w.member.id,
      tenantId: w.t1,
      clinicId: w.c1,
    });
    otherTenant = await createPatient(t.dataSource, {
      ownerId: w.other.id,
      tenantId: w.t2,
      clinicId: w.c3,
    });
    partnerTest = await createPatient(t.dataSource, {
      ownerId: w.partner.id,
      tenantId: w.t1,
      isTest: true,
    });
    observerTest = await createPatient(t.dataSource, { ownerId: w.observer.id, isTest: true });
  }, 60_000);
  afterAll(() => t.close());

  const startedAt = '2026-05-01T08:00:00Z';

  describe('POST /sessions', () => {
    it('401 without a token; 403 feature_denied for a read tier whatever the body', async () => {
      expect((await t.http().post('/sessions').send({})).status).toBe(401);
      const res = await t
        .http()
        .post('/sessions')
        .set(...bearer(w.observer))
        .send({ nonsense: 1 });
      expect(res.status).toBe(403);
      expect(res.body).toMatchObject({
        code: 'feature_denied',
        feature: 'session_vitals',
        action: 'create',
      });
    });

    it('400 on a bad body, before the scope check', async () => {
      const res = await t
        .http()
        .post('/sessions')
        .set(...bearer(w.member))
        .send({ patientId: otherTenant.id, substance: 'ibogaine', startedAt: '2026-05-01 08:00' });
      expect(res.status).toBe(400);
      expect(res.body.details[0].field).toBe('startedAt');
    });

    it('404 for another tenant’s patient, a live patient for a partner, a test patient for a live user', async () => {
      const body = (patientId: string) => ({ patientId, substance: 'ibogaine', startedAt });
      expect(
        (
          await t
            .http()
            .post('/sessions')
            .set(...bearer(w.member))
            .send(body(otherTenant.id))
        ).status,
      ).toBe(404);
      expect(
        (
          await t
            .http()
            .post('/sessions')
            .set(...bearer(w.partner))
            .send(body(live.id))
        ).status,
      ).toBe(404);
      expect(
        (
          await t
            .http()
            .post('/sessions')
            .set(...bearer(w.owner))
            .send(body(partnerTest.id))
        ).status,
      ).toBe(404);
    });

    it('201 for a patient in scope; the session copies the patient’s tenant', async () => {
      const res = await t
        .http()
        .post('/sessions')
        .set(...bearer(w.colleague))
        .send({ patientId: live.id, substance: 'ibogaine', startedAt });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({
        patientId: live.id,
        subjectId: live.subjectId,
        tenantId: w.t1,
        substance: 'ibogaine',
        startedAt: '2026-05-01T08:00:00.000Z',
        endedAt: null,
      });
    });
  });

  describe('a session’s records', () => {
    let sessionId: string;
    beforeAll(async () => {
      sessionId = await createSession(t.dataSource, live.id, { startedAt: new Date(startedAt) });
    });

    it('QTc worked example: QT 440 ms at 75 bpm → Bazett 491.9, Fridericia 474.0, no alert', async () => {
      const res = await t
        .http()
        .post(`/sessions/${sessionId}/vitals`)
        .set(...bearer(w.member))
        .send({
          recordedAt: '2026-05-01T08:05:00Z',
          heartRate: 75,
          qtMs: 440,
          systolic: 120,
          diastolic: 80,
          spo2: 98,
          temperatureC: 36.8,
        });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({
        qtcBazettMs: 491.9,
        qtcFridericiaMs: 474,
        alerts: [],
        heartRate: 75,
        qtMs: 440,
        temperatureC: 36.8,
        sessionId,
        patientId: live.id,
      });
    });

    it('qtc_over_500 alone, then both alerts (rise over 60 ms against the first reading)', async () => {
      const over = await t
        .http()
        .post(`/sessions/${sessionId}/vitals`)
        .set(...bearer(w.member))
        .send({ recordedAt: '2026-05-01T09:00:00Z', heartRate: 75, qtMs: 470 });
      expect(over.status).toBe(201);
      expect(over.body.qtcBazettMs).toBe(525.5);
      expect(over.body.alerts.map((a: { code: string }) => a.code)).toEqual(['qtc_over_500']);
      const both = await t
        .http()
        .post(`/sessions/${sessionId}/vitals`)
        .set(...bearer(w.member))
        .send({ recordedAt: '2026-05-01T10:00:00Z', heartRate: 90, qtMs: 480 });
      expect(both.body.qtcBazettMs).toBe(587.9);
      expect(both.body.alerts.map((a: { code: string }) => a.code)).toEqual([
        'qtc_over_500',
        'qtc_rise_over_60',
      ]);
      expect(both.body.alerts[1].message).toMatch(/491\.9/);
    });

    it('a reading without QT has no QTc and no alert; out-of-range values are 400', async () => {
      const res = await t
        .http()
        .post(`/sessions/${sessionId}/vitals`)
        .set(...bearer(w.member))
        .send({ recordedAt: '2026-05-01T10:30:00Z', spo2: 97, note: 'resting' });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({
        qtcBazettMs: null,
        qtcFridericiaMs: null,
        alerts: [],
        note: 'resting',
      });
      const bad = await t
        .http()
        .post(`/sessions/${sessionId}/vitals`)
        .set(...bearer(w.member))
        .send({ recordedAt: '2026-05-01T10:30:00Z', spo2: 101 });
      expect(bad.status).toBe(400);
      expect(bad.body.details[0].field).toBe('spo2');
    });

    it('GET /sessions/:id/vitals: oldest first, paginated', async () => {
      const first = await t
        .http()
        .get(`/sessions/${sessionId}/vitals?limit=2`)
        .set(...bearer(w.member));
      expect(first.status).toBe(200);
      expect(first.body.items.map((v: { recordedAt: string }) => v.recordedAt)).toEqual([
        '2026-05-01T08:05:00.000Z',
        '2026-05-01T09:00:00.000Z',
      ]);
      const second = await t
        .http()
        .get(`/sessions/${sessionId}/vitals?limit=2&cursor=${first.body.nextCursor}`)
        .set(...bearer(w.member));
      expect(second.body.items.map((v: { recordedAt: string }) => v.recordedAt)).toEqual([
        '2026-05-01T10:00:00.000Z',
        '2026-05-01T10:30:00.000Z',
      ]);
      expect(second.body.nextCursor).toBeNull();
      expect(
        (
          await t
            .http()
            .get(`/sessions/${sessionId}/vitals`)
            .set(...bearer(w.other))
        ).status,
      ).toBe(404);
    });

    it('doses, subjective logs, adverse events with interventions; GET /sessions/:id embeds them', async () => {
      expect(
        (
          await t
            .http()
            .post(`/sessions/${sessionId}/doses`)
            .set(...bearer(w.member))
            .send({ mg: 840, at: '2026-05-01T08:10:00Z' })
        ).status,
      ).toBe(201);
      expect(
        (
          await t
            .http()
            .post(`/sessions/${sessionId}/doses`)
            .set(...bearer(w.member))
            .send({ mg: 0, at: '2026-05-01T08:10:00Z' })
        ).status,
      ).toBe(400);
      const log = await t
        .http()
        .post(`/sessions/${sessionId}/subjective-logs`)
        .set(...bearer(w.member))
        .send({ at: '2026-05-01T09:10:00Z', kind: 'ego_dissolution', intensity: 7 });
      expect(log.status).toBe(201);
      expect(
        (
          await t
            .http()
            .post(`/sessions/${sessionId}/subjective-logs`)
            .set(...bearer(w.member))
            .send({ at: '2026-05-01T09:10:00Z', kind: 'x', intensity: 11 })
        ).status,
      ).toBe(400);
      const event = await t
        .http()
        .post(`/sessions/${sessionId}/adverse-events`)
        .set(...bearer(w.member))
        .send({
          occurredAt: '2026-05-01T09:30:00Z',
          description: 'Diaphoresis',
          severity: 'moderate',
          interventions: [{ at: '2026-05-01T09:32:00Z', action: 'Cool compress' }],
        });
      expect(event.status).toBe(201);
      expect(event.body.interventions).toHaveLength(1);
      const more = await t
        .http()
        .post(`/sessions/${sessionId}/adverse-events/${event.body.id}/interventions`)
        .set(...bearer(w.member))
        .send({ at: '2026-05-01T09:40:00Z', action: 'Fluids' });
      expect(more.status).toBe(201);
      expect(more.body).toMatchObject({
        adverseEventId: event.body.id,
        action: 'Fluids',
        at: '2026-05-01T09:40:00.000Z',
      });
      const foreign = await createSession(t.dataSource, live.id);
      expect(
        (
          await t
            .http()
            .post(`/sessions/${foreign}/adverse-events/${event.body.id}/interventions`)
            .set(...bearer(w.member))
            .send({ at: '2026-05-01T09:40:00Z', action: 'x' })
        ).status,
      ).toBe(404);

      const detail = await t
        .http()
        .get(`/sessions/${sessionId}`)
        .set(...bearer(w.colleague));
      expect(detail.status).toBe(200);
      expect(detail.body.doses).toEqual([
        expect.objectContaining({ mg: 840, at: '2026-05-01T08:10:00.000Z' }),
      ]);
      expect(detail.body.adverseEvents).toHaveLength(1);
      expect(detail.body.adverseEvents[0]).toMatchObject({
        description: 'Diaphoresis',
        severity: 'moderate',
      });
      expect(
        detail.body.adverseEvents[0].interventions.map((i: { action: string }) => i.action),
      ).toEqual(['Cool compress', 'Fluids']);
      expect(detail.body.subjectiveLogs).toEqual([
        expect.objectContaining({ kind: 'ego_dissolution', intensity: 7 }),
      ]);

      // Every row under the session repeats the patient's tenant and id.
      for (const table of [
        'vitals',
        'doses',
        'subjective_logs',
        'adverse_events',
        'interventions',
      ]) {
        const rows: { tenant_id: string; patient_id: string }[] = await t.dataSource.query(
          `SELECT DISTINCT tenant_id, patient_id FROM ${table} WHERE session_id = $1`,
          [sessionId],
        );
        expect(rows).toEqual([{ tenant_id: w.t1, patient_id: live.id }]);
      }
    });

    it('PATCH /sessions/:id ends the session; not before it started (400); 404 out of scope', async () => {
      expect(
        (
          await t
            .http()
            .patch(`/sessions/${sessionId}`)
            .set(...bearer(w.member))
            .send({ endedAt: '2026-04-30T00:00:00Z' })
        ).status,
      ).toBe(400);
      expect(
        (
          await t
            .http()
            .patch(`/sessions/${sessionId}`)
            .set(...bearer(w.other))
            .send({ endedAt: '2026-05-02T00:00:00Z' })
        ).status,
      ).toBe(404);
      const res = await t
        .http()
        .patch(`/sessions/${sessionId}`)
        .set(...bearer(w.member))
        .send({ endedAt: '2026-05-02T00:00:00Z' });
      expect(res.status).toBe(200);
      expect(res.body.endedAt).toBe('2026-05-02T00:00:00.000Z');
    });

    it('GET /sessions/:id is 404 for another tenant and for a partner', async () => {
      expect(
        (
          await t
            .http()
            .get(`/sessions/${sessionId}`)
            .set(...bearer(w.other))
        ).status,
      ).toBe(404);
      expect(
        (
          await t
            .http()
            .get(`/sessions/${sessionId}`)
            .set(...bearer(w.partner))
        ).status,
      ).toBe(404);
      expect(
        (
          await t
            .http()
            .get(`/sessions/${sessionId}`)
            .set(...bearer(w.c2member))
        ).status,
      ).toBe(404);
    });
  });

  describe('GET /sessions', () => {
    it('?patientId= outside scope → 404; in scope → only that patient’s sessions', async () => {
      await createSession(t.dataSource, otherTenant.id);
      expect(
        (
          await t
            .http()
            .get(`/sessions?patientId=${otherTenant.id}`)
            .set(...bearer(w.member))
        ).status,
      ).toBe(404);
      const res = await t
        .http()
        .get(`/sessions?patientId=${live.id}`)
        .set(...bearer(w.member));
      expect(res.status).toBe(200);
      expect(res.body.items.length).toBeGreaterThan(0);
      expect(res.body.items.every((s: { patientId: string }) => s.patientId === live.id)).toBe(
        true,
      );
      const all = await t
        .http()
        .get('/sessions?limit=200')
        .set(...bearer(w.member));
      expect(
        all.body.items.some((s: { patientId: string }) => s.patientId === otherTenant.id),
      ).toBe(false);
    });

    it('a read tier (beta_observer) reads its own demo sessions but cannot add to them', async () => {
      const own = await createSession(t.dataSource, observerTest.id);
      const list = await t
        .http()
        .get('/sessions')
        .set(...bearer(w.observer));
      expect(list.status).toBe(200);
      expect(list.body.items.map((s: { id: string }) => s.id)).toEqual([own]);
      expect(
        (
          await t
            .http()
            .get(`/sessions/${own}`)
            .set(...bearer(w.observer))
        ).status,
      ).toBe(200);
      const write = await t
        .http()
        .post(`/sessions/${own}/vitals`)
        .set(...bearer(w.observer))
        .send({ recordedAt: startedAt });
      expect(write.status).toBe(403);
      expect(write.body.code).toBe('feature_denied');
    });

    it('a partner works on its own test patient', async () => {
      const res = await t
        .http()
        .post('/sessions')
        .set(...bearer(w.partner))
        .send({ patientId: partnerTest.id, substance: 'ketamine', startedAt });
      expect(res.status).toBe(201);
      const vitals = await t
        .http()
        .post(`/sessions/${res.body.id}/vitals`)
        .set(...bearer(w.partner))
        .send({ recordedAt: startedAt, heartRate: 75, qtMs: 440 });
      expect(vitals.status).toBe(201);
    });
  });
});
