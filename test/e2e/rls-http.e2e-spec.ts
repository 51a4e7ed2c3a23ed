import { disableAppFiltersForTests } from '../../src/abilities/sql/rules-to-sql';
import { createPatient, createSession, createVitals } from '../factories/clinical';
import { addClinicMember, addTenantMember, createClinic, createTenant } from '../factories/tenancy';
import { createUser, loginAs, type TestUser } from '../factories/users';
import { startTestApp, type TestApp } from '../harness/test-app';

/**
 * The second wall, through the real HTTP routes: with every application-level row filter
 * switched off (test-only switch), PostgreSQL row-level security alone must still keep
 * out-of-scope rows out of lists and single-record reads.
 */
describe('RLS alone behind the HTTP routes (app filters disabled) (e2e)', () => {
  let t: TestApp;
  let member: TestUser;
  let partner: TestUser;
  let memberToken: string;
  let partnerToken: string;
  const inScope: string[] = [];
  const outOfScope: { id: string; subjectId: string }[] = [];
  let otherTenantId: string;
  let ownTenantId: string;

  beforeAll(async () => {
    t = await startTestApp();
    const ds = t.dataSource;
    const t1 = await createTenant(ds);
    const t2 = await createTenant(ds);
    ownTenantId = t1.id;
    otherTenantId = t2.id;
    const c1 = await createClinic(ds, t1.id);
    const c2 = await createClinic(ds, t1.id);
    const c3 = await createClinic(ds, t2.id);
    member = await createUser(ds, { tier: 'user_pro' });
    partner = await createUser(ds, { tier: 'partner_paid' });
    const colleague = await createUser(ds, { tier: 'user_pro' });
    const stranger = await createUser(ds, { tier: 'user_pro' });
    await addTenantMember(ds, t1.id, member.id, 'MEMBER');
    await addClinicMember(ds, t1.id, c1.id, member.id, 'MEMBER');
    await addTenantMember(ds, t1.id, partner.id, 'MEMBER');
    await addClinicMember(ds, t1.id, c1.id, partner.id, 'MEMBER');
    await addTenantMember(ds, t1.id, colleague.id, 'MEMBER');
    await addTenantMember(ds, t2.id, stranger.id, 'MEMBER');

    const own = await createPatient(ds, { ownerId: member.id, tenantId: t1.id, clinicId: c1.id });
    const sameClinic = await createPatient(ds, {
      ownerId: colleague.id,
      tenantId: t1.id,
      clinicId: c1.id,
    });
    inScope.push(own.id, sameClinic.id);
    outOfScope.push(
      await createPatient(ds, { ownerId: colleague.id, tenantId: t1.id, clinicId: c2.id }),
      await createPatient(ds, { ownerId: stranger.id, tenantId: t2.id, clinicId: c3.id }),
      await createPatient(ds, { ownerId: partner.id, tenantId: t1.id, isTest: true }),
    );
    for (const p of [...inScope.map((id) => ({ id })), ...outOfScope]) {
      const sessionId = await createSession(ds, p.id);
      await createVitals(ds, sessionId, 2);
    }
    memberToken = await loginAs(t, member);
    partnerToken = await loginAs(t, partner);
    disableAppFiltersForTests(true);
  });

  afterAll(async () => {
    disableAppFiltersForTests(false);
    await t.close();
  });

  const get = (token: string, path: string) =>
    t.http().get(path).set('authorization', `Bearer ${token}`);

  it('GET /patients: exactly the member’s scope (own + same clinic), nothing else', async () => {
    const res = await get(memberToken, '/patients?limit=200').expect(200);
    expect(res.body.items.map((p: { id: string }) => p.id).sort()).toEqual([...inScope].sort());
  });

  it('GET /patients/:id of an out-of-scope patient: 404', async () => {
    for (const p of outOfScope) await get(memberToken, `/patients/${p.id}`).expect(404);
  });

  it('GET /sessions and /dashboard: no session of an out-of-scope patient', async () => {
    const sessions = await get(memberToken, '/sessions?limit=200').expect(200);
    const patientIds = new Set(sessions.body.items.map((s: { patientId: string }) => s.patientId));
    expect([...patientIds].sort()).toEqual([...inScope].sort());
    const dashboard = await get(memberToken, '/dashboard?limit=200').expect(200);
    const body = JSON.stringify(dashboard.body);
    for (const p of outOfScope) expect(body).not.toContain(p.subjectId);
  });

  it('a partner sees only its own test patient, never a live one of its own clinic', async () => {
    const res = await get(partnerToken, '/patients?limit=200').expect(200);
    expect(res.body.items.map((p: { isTest: boolean }) => p.isTest)).toEqual([true]);
  });

  it('tenancy: a member lists its own tenant only, and cannot read another tenant', async () => {
    const res = await get(memberToken, '/tenants').expect(200);
    expect(res.body.items.map((x: { id: string }) => x.id)).toEqual([ownTenantId]);
    await get(memberToken, `/tenants/${otherTenantId}`).expect(404);
    const members = await get(memberToken, `/tenants/${ownTenantId}/members`).expect(200);
    expect(members.body.items.map((m: { userId: string }) => m.userId)).toEqual([member.id]);
  });
});
