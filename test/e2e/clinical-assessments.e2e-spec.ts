import { createPatient, type TestPatient } from '../factories/clinical';
import { startTestApp, type TestApp } from '../harness/test-app';
import { bearer, buildClinicalWorld, type ClinicalWorld } from './support/clinical-world';

// The project-level testTimeout is not applied in multi-project runs (it is a global option):
// under a loaded machine an app boot plus logins can take more than Jest's 5 s default.
jest.setTimeout(60_000);

describe('Clinical: assessments (e2e)', () => {
  let t: TestApp;
  let w: ClinicalWorld;
  let live: TestPatient;
  let otherTenant: TestPatient;
  let partnerTest: TestPatient;

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
    partnerTest = await createPatient(t.dataSource, { ownerId: w.partner.id, isTest: true });
  }, 60_000);
  afterAll(() => t.close());

  it('401 / 403 (read tier creating) / 400 before 404', async () => {
    expect((await t.http().post('/assessments').send({})).status).toBe(401);
    const denied = await t
      .http()
      .post('/assessments')
      .set(...bearer(w.observer))
      .send({});
    expect(denied.status).toBe(403);
    expect(denied.body).toMatchObject({ code: 'feature_denied', feature: 'baseline_assessments' });
    const bad = await t
      .http()
      .post('/assessments')
      .set(...bearer(w.member))
      .send({
        patientId: otherTenant.id,
        instrument: 'PHQ9',
        answers: [0, 1, 2, 4, 0, 0, 0, 0, 0],
      });
    expect(bad.status).toBe(400);
  });

  it('400 validation_failed naming the offending item', async () => {
    const res = await t
      .http()
      .post('/assessments')
      .set(...bearer(w.member))
      .send({ patientId: live.id, instrument: 'PHQ9', answers: [0, 1, 2, 4, 0, 0, 0, 0, 0] });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('validation_failed');
    expect(res.body.details).toEqual([
      { field: 'answers[3]', message: expect.stringMatching(/item 4/) },
    ]);
    const short = await t
      .http()
      .post('/assessments')
      .set(...bearer(w.member))
      .send({ patientId: live.id, instrument: 'GAD7', answers: [1, 1] });
    expect(short.body.details[0].field).toBe('answers');
    const unknown = await t
      .http()
      .post('/assessments')
      .set(...bearer(w.member))
      .send({ patientId: live.id, instrument: 'BDI', answers: [] });
    expect(unknown.status).toBe(400);
    const score = await t
      .http()
      .post('/assessments')
      .set(...bearer(w.member))
      .send({ patientId: live.id, instrument: 'GAD7', answers: [1, 1, 1, 1, 1, 1, 1], score: 0 });
    expect(score.status).toBe(400);
  });

  it('404 out of scope: another tenant, a live patient for a partner, a test patient for a live user', async () => {
    const phq = (patientId: string) => ({
      patientId,
      instrument: 'PHQ9',
      answers: [0, 0, 0, 0, 0, 0, 0, 0, 0],
    });
    expect(
      (
        await t
          .http()
          .post('/assessments')
          .set(...bearer(w.member))
          .send(phq(otherTenant.id))
      ).status,
    ).toBe(404);
    expect(
      (
        await t
          .http()
          .post('/assessments')
          .set(...bearer(w.partner))
          .send(phq(live.id))
      ).status,
    ).toBe(404);
    expect(
      (
        await t
          .http()
          .post('/assessments')
          .set(...bearer(w.owner))
          .send(phq(partnerTest.id))
      ).status,
    ).toBe(404);
    expect(
      (
        await t
          .http()
          .post('/assessments')
          .set(...bearer(w.partner))
          .send(phq(partnerTest.id))
      ).status,
    ).toBe(201);
  });

  it('scores each instrument server-side', async () => {
    const post = (instrument: string, answers: number[]) =>
      t
        .http()
        .post('/assessments')
        .set(...bearer(w.member))
        .send({ patientId: live.id, instrument, answers });
    const phq = await post('PHQ9', [3, 3, 3, 3, 3, 3, 3, 2, 2]);
    expect(phq.status).toBe(201);
    expect(phq.body).toMatchObject({
      patientId: live.id,
      instrument: 'PHQ9',
      score: 25,
      severity: 'severe',
      selfHarmItemPositive: true,
    });
    expect((await post('GAD7', [1, 1, 1, 1, 1, 1, 1])).body).toMatchObject({
      score: 7,
      severity: 'mild',
    });
    expect((await post('CSSRS', [1, 1, 0, 0, 0, 0])).body).toMatchObject({
      score: 2,
      severity: 'low',
    });
    expect((await post('CSSRS', [1, 1, 0, 1, 0, 0])).body.severity).toBe('high');
    const meq = await post('MEQ30', Array(30).fill(4));
    expect(meq.body).toMatchObject({
      score: 4,
      severity: 'complete',
      complete: true,
      subscales: { mystical: 4, positiveMood: 4, transcendence: 4, ineffability: 4 },
    });
  });

  it('GET /assessments?patientId=: in scope only, 404 outside', async () => {
    expect(
      (
        await t
          .http()
          .get(`/assessments?patientId=${otherTenant.id}`)
          .set(...bearer(w.member))
      ).status,
    ).toBe(404);
    const res = await t
      .http()
      .get(`/assessments?patientId=${live.id}&instrument=PHQ9`)
      .set(...bearer(w.colleague));
    expect(res.status).toBe(200);
    expect(res.body.items).toHaveLength(1);
    expect(res.body.items[0]).toMatchObject({ instrument: 'PHQ9', score: 25 });
    const observer = await t
      .http()
      .get('/assessments')
      .set(...bearer(w.observer));
    expect(observer.status).toBe(200);
    expect(observer.body.items).toEqual([]);
    const partner = await t
      .http()
      .get('/assessments')
      .set(...bearer(w.partner));
    expect(
      partner.body.items.every((a: { patientId: string }) => a.patientId === partnerTest.id),
    ).toBe(true);
  });
});
