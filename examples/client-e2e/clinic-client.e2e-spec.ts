/**
 * A client team's Jest e2e suite, written against the public test kit only (test/kit).
 * Copy it as the starting point of your own: start the app, create users of the tiers and
 * tenancy roles you need, log them in, and assert what each may and may not do.
 */
import {
  anonymous,
  createUserWithRole,
  expectAllowed,
  expectDenied,
  type KitApp,
  loginAs,
  startKitApp,
} from '../../test/kit';

interface Patient {
  id: string;
  subjectId: string;
  clinicId: string | null;
}

describe('Clinic REST client: patients and tenancy (example suite on the test kit)', () => {
  let app: KitApp;

  beforeAll(async () => {
    app = await startKitApp();
  });
  afterAll(async () => app?.close());

  it('a clinic member on a paid tier records a patient and lists it', async () => {
    const clinician = await loginAs(app, { tier: 'user_pro', clinicRole: 'MEMBER' });
    const created = expectAllowed<Patient>(
      await clinician
        .post('/patients')
        .send({ clinicId: clinician.user.clinic?.id, substance: 'psilocybin' }),
    );
    expect(created.clinicId).toBe(clinician.user.clinic?.id);

    const page = expectAllowed<{ items: Patient[] }>(await clinician.get('/patients'));
    expect(page.items.map((p) => p.id)).toEqual([created.id]);
  });

  it('a colleague in another clinic of the same tenant sees nothing of it (404, not 403)', async () => {
    const owner = await createUserWithRole(app, { tier: 'user_pro', clinicRole: 'MEMBER' });
    const author = await loginAs(app, owner);
    const patient = expectAllowed<Patient>(
      await author.post('/patients').send({ clinicId: owner.clinic?.id }),
    );
    const elsewhere = await loginAs(app, {
      tier: 'user_pro',
      clinicRole: 'MEMBER',
      tenant: owner.tenant ?? undefined,
    });
    expect(elsewhere.user.tenant?.id).toBe(owner.tenant?.id);
    expectDenied(await elsewhere.get(`/patients/${patient.id}`), 'not_found');
  });

  it('the free tier lacks the multi-patient dashboard: 403 feature_denied, naming the feature', async () => {
    const free = await loginAs(app, { tier: 'user_free' });
    const body = expectDenied(await free.get('/dashboard'), 'feature_denied');
    expect(body.feature).toBe('multi_patient_dashboard');
  });

  it('a time-boxed tier past its end answers 403 role_expired', async () => {
    const expired = await loginAs(app, {
      tier: 'beta_observer',
      tierExpiresAt: new Date(Date.now() - 60_000),
    });
    expectDenied(await expired.get('/patients'), 'role_expired');
  });

  it('a tenant MEMBER may not rename the tenant; its OWNER may', async () => {
    const owner = await loginAs(app, { tier: 'user_enterprise', tenantRole: 'OWNER' });
    const tenant = owner.user.tenant;
    const member = await loginAs(app, {
      tier: 'user_enterprise',
      tenantRole: 'MEMBER',
      tenant: tenant ?? undefined,
    });
    expectDenied(
      await member.patch(`/tenants/${tenant?.id}`).send({ name: 'Renamed' }),
      'tenancy_denied',
    );
    expectAllowed(await owner.patch(`/tenants/${tenant?.id}`).send({ name: 'Renamed' }));
  });

  it('without a token every route answers 401', async () => {
    expectDenied(await anonymous(app).get('/patients'), 'unauthenticated');
  });
});
