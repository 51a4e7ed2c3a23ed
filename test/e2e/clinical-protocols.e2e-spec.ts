import { checkInteractions } from '../../src/modules/protocols/interactions';
import { createPatient } from '../factories/clinical';
import { startTestApp, type TestApp } from '../harness/test-app';
import { bearer, buildClinicalWorld, type ClinicalWorld } from './support/clinical-world';

// The project-level testTimeout is not applied in multi-project runs (it is a global option):
// under a loaded machine an app boot plus logins can take more than Jest's 5 s default.
jest.setTimeout(60_000);

describe('Clinical: protocols, dose calculation, interaction check (e2e)', () => {
  let t: TestApp;
  let w: ClinicalWorld;

  beforeAll(async () => {
    t = await startTestApp();
    w = await buildClinicalWorld(t);
  }, 60_000);
  afterAll(() => t.close());

  const protocol = {
    name: 'Ibogaine flood',
    substance: 'ibogaine',
    plannedMgPerKg: 10,
    ceilingMgPerKg: 12,
    boosters: [{ afterHours: 6, mgPerKg: 3 }],
    notes: 'n',
  };

  it('401; 403 feature_denied for tiers without protocol_builder; read tiers may not write', async () => {
    expect((await t.http().get('/protocols')).status).toBe(401);
    const free = await t
      .http()
      .get('/protocols')
      .set(...bearer(w.free));
    expect(free.status).toBe(403);
    expect(free.body).toMatchObject({
      code: 'feature_denied',
      feature: 'protocol_builder',
      tier: 'user_free',
    });
    const partnerFree = await t
      .http()
      .post('/protocols/interaction-check')
      .set(...bearer(w.partnerFree))
      .send({ substances: ['ibogaine'] });
    expect(partnerFree.status).toBe(403);
    const observer = await t
      .http()
      .post('/protocols')
      .set(...bearer(w.observer))
      .send(protocol);
    expect(observer.status).toBe(403);
    expect(observer.body).toMatchObject({ code: 'feature_denied', action: 'create' });
    expect(
      (
        await t
          .http()
          .get('/protocols')
          .set(...bearer(w.observer))
      ).status,
    ).toBe(200);
  });

  describe('CRUD', () => {
    let id: string;
    it('POST 201, shared read in the tenant, 404 elsewhere', async () => {
      const res = await t
        .http()
        .post('/protocols')
        .set(...bearer(w.member))
        .send(protocol);
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({
        ...protocol,
        isTest: false,
        ownerId: w.member.id,
        tenantId: w.t1,
      });
      id = res.body.id;
      expect(
        (
          await t
            .http()
            .get(`/protocols/${id}`)
            .set(...bearer(w.colleague))
        ).status,
      ).toBe(200);
      expect(
        (
          await t
            .http()
            .get(`/protocols/${id}`)
            .set(...bearer(w.other))
        ).status,
      ).toBe(404);
      expect(
        (
          await t
            .http()
            .get(`/protocols/${id}`)
            .set(...bearer(w.partner))
        ).status,
      ).toBe(404);
      const list = await t
        .http()
        .get('/protocols?substance=IBOGAINE')
        .set(...bearer(w.colleague));
      expect(list.body.items.map((p: { id: string }) => p.id)).toContain(id);
    });

    it('PATCH: a colleague who can read it gets 403 action_denied; the owner and the tenant OWNER may', async () => {
      const denied = await t
        .http()
        .patch(`/protocols/${id}`)
        .set(...bearer(w.colleague))
        .send({ notes: 'x' });
      expect(denied.status).toBe(403);
      expect(denied.body.code).toBe('action_denied');
      const own = await t
        .http()
        .patch(`/protocols/${id}`)
        .set(...bearer(w.member))
        .send({ ceilingMgPerKg: 14, notes: null });
      expect(own.status).toBe(200);
      expect(own.body).toMatchObject({ ceilingMgPerKg: 14, notes: null, name: protocol.name });
      expect(
        (
          await t
            .http()
            .patch(`/protocols/${id}`)
            .set(...bearer(w.owner))
            .send({ name: 'Curated' })
        ).body.name,
      ).toBe('Curated');
      expect(
        (
          await t
            .http()
            .patch(`/protocols/${id}`)
            .set(...bearer(w.other))
            .send({ name: 'x' })
        ).status,
      ).toBe(404);
    });

    it('a partner’s protocols are test rows, invisible to live users', async () => {
      const res = await t
        .http()
        .post('/protocols')
        .set(...bearer(w.partner))
        .send(protocol);
      expect(res.status).toBe(201);
      expect(res.body.isTest).toBe(true);
      expect(
        (
          await t
            .http()
            .get(`/protocols/${res.body.id}`)
            .set(...bearer(w.owner))
        ).status,
      ).toBe(404);
      expect(
        (
          await t
            .http()
            .get(`/protocols/${res.body.id}`)
            .set(...bearer(w.partner))
        ).status,
      ).toBe(200);
    });

    it('DELETE 204 (owner); 403 for a colleague', async () => {
      expect(
        (
          await t
            .http()
            .delete(`/protocols/${id}`)
            .set(...bearer(w.colleague))
        ).status,
      ).toBe(403);
      expect(
        (
          await t
            .http()
            .delete(`/protocols/${id}`)
            .set(...bearer(w.member))
        ).status,
      ).toBe(204);
      expect(
        (
          await t
            .http()
            .get(`/protocols/${id}`)
            .set(...bearer(w.member))
        ).status,
      ).toBe(404);
    });
  });

  describe('POST /protocols/dose-calculation', () => {
    const doses = [
      { mg: 800, at: '2026-05-01T08:00:00Z' },
      { mg: 240, at: '2026-05-01T14:00:00+00:00' },
    ];

    it('200 for a read tier: running totals', async () => {
      const res = await t
        .http()
        .post('/protocols/dose-calculation')
        .set(...bearer(w.observer))
        .send({ weightKg: 80, doses });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        totalMg: 1040,
        totalMgPerKg: 13,
        running: [
          { at: '2026-05-01T08:00:00.000Z', cumulativeMg: 800, cumulativeMgPerKg: 10 },
          { at: '2026-05-01T14:00:00.000Z', cumulativeMg: 1040, cumulativeMgPerKg: 13 },
        ],
        warnings: [],
      });
    });

    it('the protocol’s ceiling applies (404 for a protocol outside scope)', async () => {
      const p = await t
        .http()
        .post('/protocols')
        .set(...bearer(w.member))
        .send(protocol);
      const res = await t
        .http()
        .post('/protocols/dose-calculation')
        .set(...bearer(w.colleague))
        .send({ weightKg: 80, doses, protocolId: p.body.id });
      expect(res.status).toBe(200);
      expect(res.body.ceilingMgPerKg).toBe(12);
      expect(res.body.warnings).toHaveLength(1);
      expect(res.body.warnings[0]).toMatch(/exceeded the ceiling of 12 mg\/kg/);
      expect(
        (
          await t
            .http()
            .post('/protocols/dose-calculation')
            .set(...bearer(w.other))
            .send({ weightKg: 80, doses, protocolId: p.body.id })
        ).status,
      ).toBe(404);
    });

    it('400 naming the bad dose', async () => {
      const res = await t
        .http()
        .post('/protocols/dose-calculation')
        .set(...bearer(w.member))
        .send({ weightKg: 80, doses: [doses[0], { mg: 1, at: '2026-05-01 14:00' }] });
      expect(res.status).toBe(400);
      expect(res.body.details).toEqual([expect.objectContaining({ field: 'doses[1].at' })]);
    });
  });

  describe('POST /protocols/interaction-check', () => {
    it('flags ibogaine + Suboxone (brand name) as contraindicated, for a read tier too', async () => {
      const res = await t
        .http()
        .post('/protocols/interaction-check')
        .set(...bearer(w.observer))
        .send({ substances: ['Ibogaine'], medications: [' Suboxone ', 'ibuprofen'] });
      expect(res.status).toBe(200);
      expect(res.body.interactions).toEqual([
        expect.objectContaining({
          substance: 'ibogaine',
          agent: 'buprenorphine',
          severity: 'contraindicated',
          matchedAs: { agent: ' Suboxone ' },
        }),
      ]);
      expect(res.body.interactions[0].note).toMatch(/^ILLUSTRATIVE REFERENCE DATA/);
      expect(res.body.unrecognized).toEqual(['ibuprofen']);
      expect(res.body.disclaimer).toMatch(/ILLUSTRATIVE/);
    });

    it('with patientId the patient’s medications join in; 404 out of scope', async () => {
      const p = await createPatient(t.dataSource, {
        ownerId: w.member.id,
        tenantId: w.t1,
        clinicId: w.c1,
        medications: ['Lithobid'],
      });
      const res = await t
        .http()
        .post('/protocols/interaction-check')
        .set(...bearer(w.colleague))
        .send({ substances: ['psilocybin'], patientId: p.id });
      expect(res.status).toBe(200);
      expect(res.body.interactions).toEqual([
        expect.objectContaining({
          substance: 'psilocybin',
          agent: 'lithium',
          severity: 'contraindicated',
        }),
      ]);
      expect(
        (
          await t
            .http()
            .post('/protocols/interaction-check')
            .set(...bearer(w.other))
            .send({ substances: ['psilocybin'], patientId: p.id })
        ).status,
      ).toBe(404);
      expect(
        (
          await t
            .http()
            .post('/protocols/interaction-check')
            .set(...bearer(w.partner))
            .send({ substances: ['psilocybin'], patientId: p.id })
        ).status,
      ).toBe(404);
    });

    it('the table-backed check agrees with the reference implementation', async () => {
      const cases = [
        {
          substances: ['MDMA', 'psilocybin'],
          medications: ['Prozac', 'lithium carbonate', 'Nardil'],
        },
        {
          substances: ['ketamine', 'ibogaine'],
          medications: ['Xanax', 'methadone', 'Zofran', 'Lamictal'],
        },
        { substances: ['escitalopram', 'mdma'], medications: [] },
        { substances: ['TPA'], medications: ['paxil', 'Celexa', 'aspirin'] },
      ];
      for (const input of cases) {
        const res = await t
          .http()
          .post('/protocols/interaction-check')
          .set(...bearer(w.member))
          .send(input);
        expect(res.status).toBe(200);
        const expected = checkInteractions(input);
        const strip = (
          list: readonly { substance: string; agent: string; severity: string; note: string }[],
        ) =>
          list.map(({ substance, agent, severity, note }) => ({
            substance,
            agent,
            severity,
            note,
          }));
        expect(strip(res.body.interactions)).toEqual(strip(expected.interactions));
        expect(res.body.unrecognized).toEqual(expected.unrecognized);
      }
    });
  });
});
