import { createServer, type AddressInfo } from 'node:net';
import { SCRUBBED_TABLES } from '../../src/modules/partners/test-data.service';
import { createUser, loginAs, type TestUser } from '../factories/users';
import { startTestApp, type TestApp } from '../harness/test-app';
import { linkToken, MailCatcher } from './support/mail-catcher';

// App boot, argon2 logins and SMTP round trips: more than Jest's default 5 s per hook.
jest.setTimeout(60_000);

/**
 * Partner beta (seed 001, PRODUCT.md §4): provisioning over a real SMTP server, the partner's
 * own mock patients, one transaction with the invitation, and the test-data scrub.
 */
describe('Admin: partners and test data (e2e)', () => {
  let smtp: MailCatcher;
  let t: TestApp;
  let admin: TestUser;
  let adminToken: string;
  let liveOwner: TestUser;
  let tenantId: string;

  const auth = (token: string) => ({ authorization: `Bearer ${token}` });
  const count = async (sql: string, params: unknown[] = []): Promise<number> =>
    Number((await t.dataSource.query<{ n: string }[]>(sql, params))[0].n);

  /** Row counts of every scrubbed table, live and test, as one snapshot. */
  async function tableCounts(): Promise<{
    live: Record<string, number>;
    test: Record<string, number>;
  }> {
    const live: Record<string, number> = {};
    const test: Record<string, number> = {};
    for (const table of SCRUBBED_TABLES) {
      const isTest =
        table === 'patients' || table === 'protocols'
          ? 'x.is_test'
          : '(SELECT p.is_test FROM patients p WHERE p.id = x.patient_id)';
      const rows: { t: string; l: string }[] = await t.dataSource.query(
        `SELECT count(*) FILTER (WHERE ${isTest})::text AS t, count(*) FILTER (WHERE NOT ${isTest})::text AS l FROM ${table} x`,
      );
      test[table] = Number(rows[0].t);
      live[table] = Number(rows[0].l);
    }
    return { live, test };
  }

  beforeAll(async () => {
    smtp = new MailCatcher((address) => address.startsWith('reject-'));
    const url = await smtp.start();
    t = await startTestApp({ env: { SMTP_URL: url, RATE_LIMIT_AUTH_PER_IP: '100000' } });
    admin = await createUser(t.dataSource, { tier: 'admin', platformRole: 'PLATFORM_ADMIN' });
    adminToken = await loginAs(t, admin);
    // Live data that must survive every scrub: a tenant patient with a session and vitals.
    liveOwner = await createUser(t.dataSource, { tier: 'user_enterprise' });
    const [tenant] = await t.dataSource.query<{ id: string }[]>(
      `INSERT INTO tenants (name) VALUES ('Live clinic group') RETURNING id`,
    );
    tenantId = tenant.id;
    await t.dataSource.query(
      `INSERT INTO tenant_members (tenant_id, user_id, role) VALUES ($1, $2, 'MEMBER')`,
      [tenantId, liveOwner.id],
    );
    const [patient] = await t.dataSource.query<{ id: string }[]>(
      `INSERT INTO patients (tenant_id, owner_id, subject_id, substance) VALUES ($1, $2, 'LIVE000001', 'ibogaine') RETURNING id`,
      [tenantId, liveOwner.id],
    );
    const [session] = await t.dataSource.query<{ id: string }[]>(
      `INSERT INTO treatment_sessions (tenant_id, patient_id, substance, started_at, created_by) VALUES ($1, $2, 'ibogaine', now(), $3) RETURNING id`,
      [tenantId, patient.id, liveOwner.id],
    );
    await t.dataSource.query(
      `INSERT INTO vitals (tenant_id, session_id, patient_id, recorded_at, heart_rate, qt_ms, created_by) VALUES ($1, $2, $3, now(), 70, 420, $4)`,
      [tenantId, session.id, patient.id, liveOwner.id],
    );
    await t.dataSource.query(
      `INSERT INTO assessments (tenant_id, patient_id, instrument, answers, score, severity, created_by)
       VALUES ($1, $2, 'PHQ9', '{1,1,1,1,1,1,1,1,0}', 8, 'mild', $3)`,
      [tenantId, patient.id, liveOwner.id],
    );
    // A live protocol too (scrub deletes test protocols only).
    await t.dataSource.query(
      `INSERT INTO protocols (tenant_id, owner_id, name, substance) VALUES ($1, $2, 'Live protocol', 'ibogaine')`,
      [tenantId, liveOwner.id],
    );
  });
  afterAll(async () => {
    await t.close();
    await smtp.stop();
  });

  const provision = (body: Record<string, unknown>) =>
    t.http().post('/admin/partners').set(auth(adminToken)).send(body);

  let partnerA: { id: string; email: string; token: string; subjectIds: string[] };
  let partnerB: { id: string };

  it('provisions a partner: 201, own mock patients A/B/C, branded invitation over SMTP whose link logs in', async () => {
    const email = `dr.rivera.${Date.now()}@example.test`;
    const res = await provision({ email, displayName: 'Dr. Rivera', tier: 'partner_free' }).expect(
      201,
    );
    expect(res.body).toMatchObject({
      email,
      tier: 'partner_free',
      platformRole: null,
      activated: false,
      disabled: false,
      tenant: null,
      invitationSent: true,
    });
    expect(res.body).not.toHaveProperty('passwordHash');
    const mock = res.body.mockPatients as { key: string; subjectId: string; substance: string }[];
    expect(mock.map((p) => p.key)).toEqual(['A', 'B', 'C']);
    expect(mock.map((p) => p.substance)).toEqual(['ibogaine', 'mdma', 'ketamine']);
    for (const p of mock) expect(p.subjectId).toMatch(/^TEST-[A-Z0-9]{10}$/);

    const mail = await smtp.waitFor(email);
    expect(mail.subject).toBe('Your invitation to the PPN Beta');
    expect(mail.text).toMatch(/TEST data/);
    const token = linkToken(mail.text, 'invite');
    const accepted = await t
      .http()
      .post('/auth/invitations/accept')
      .send({ token, password: 'partner-password-123' })
      .expect(200);
    const partnerToken = accepted.body.accessToken as string;
    partnerA = {
      id: res.body.id as string,
      email,
      token: partnerToken,
      subjectIds: mock.map((p) => p.subjectId),
    };

    // Exactly its 3 mock patients, all test rows, never the live one.
    const list = await t.http().get('/patients').set(auth(partnerToken)).expect(200);
    const items = list.body.items as {
      subjectId: string;
      isTest: boolean;
      ownerId: string;
      clinicId: string | null;
    }[];
    expect(items.map((p) => p.subjectId).sort()).toEqual([...partnerA.subjectIds].sort());
    for (const p of items)
      expect(p).toMatchObject({ isTest: true, ownerId: partnerA.id, clinicId: null });
    expect(items.some((p) => p.subjectId === 'LIVE000001')).toBe(false);

    // The rows behind them: sessions, QT vitals with QTc, doses, assessments, events.
    expect(
      await count(
        `SELECT count(*)::text AS n FROM vitals v JOIN patients p ON p.id = v.patient_id WHERE p.owner_id = $1 AND v.qtc_bazett_ms IS NOT NULL`,
        [partnerA.id],
      ),
    ).toBeGreaterThanOrEqual(14);
    expect(
      await count(
        `SELECT count(*)::text AS n FROM assessments a JOIN patients p ON p.id = a.patient_id WHERE p.owner_id = $1 AND a.instrument = 'PHQ9'`,
        [partnerA.id],
      ),
    ).toBeGreaterThanOrEqual(4);
    expect(
      await count(
        `SELECT count(*)::text AS n FROM interventions i JOIN patients p ON p.id = i.patient_id WHERE p.owner_id = $1`,
        [partnerA.id],
      ),
    ).toBeGreaterThanOrEqual(3);
    expect(
      await count(
        `SELECT count(*)::text AS n FROM patient_phase_transitions x JOIN patients p ON p.id = x.patient_id WHERE p.owner_id = $1`,
        [partnerA.id],
      ),
    ).toBeGreaterThanOrEqual(7);
    expect(
      await count(
        `SELECT count(*)::text AS n FROM patients WHERE owner_id = $1 AND (NOT is_test OR tenant_id IS NOT NULL OR clinic_id IS NOT NULL)`,
        [partnerA.id],
      ),
    ).toBe(0);

    // Audited.
    expect(
      await count(
        `SELECT count(*)::text AS n FROM audit_log WHERE action = 'partner.provision' AND subject_id = $1 AND actor_id = $2`,
        [partnerA.id, admin.id],
      ),
    ).toBe(1);
  });

  it('a second partner gets a different dataset (values, not just ids)', async () => {
    const res = await provision({
      email: `second.${Date.now()}@example.test`,
      displayName: 'Second Partner',
      tier: 'partner_paid',
    }).expect(201);
    partnerB = { id: res.body.id as string };
    const fingerprint = async (owner: string): Promise<string> => {
      const vitals: { qt_ms: number; heart_rate: number }[] = await t.dataSource.query(
        `SELECT v.qt_ms, v.heart_rate FROM vitals v JOIN patients p ON p.id = v.patient_id WHERE p.owner_id = $1 ORDER BY v.recorded_at`,
        [owner],
      );
      const answers: { answers: number[] }[] = await t.dataSource.query(
        `SELECT a.answers FROM assessments a JOIN patients p ON p.id = a.patient_id WHERE p.owner_id = $1 ORDER BY a.administered_at, a.instrument`,
        [owner],
      );
      return JSON.stringify([vitals, answers]);
    };
    const a = await fingerprint(partnerA.id);
    const b = await fingerprint(partnerB.id);
    expect(a.length).toBeGreaterThan(100);
    expect(a).not.toBe(b);
    // And the first partner still sees only its own three.
    const list = await t.http().get('/patients').set(auth(partnerA.token)).expect(200);
    expect((list.body.items as unknown[]).length).toBe(3);
  });

  it('beta_observer needs tierExpiresAt (400), gets its own read-only mock patients (D10)', async () => {
    const email = `observer.${Date.now()}@example.test`;
    const bad = await provision({ email, displayName: 'Observer', tier: 'beta_observer' }).expect(
      400,
    );
    expect(bad.body).toMatchObject({ code: 'validation_failed' });
    expect(bad.body.details).toEqual([
      { field: 'tierExpiresAt', message: expect.stringMatching(/required/) as string },
    ]);
    const expiresAt = new Date(Date.now() + 14 * 86_400_000).toISOString();
    const res = await provision({
      email,
      displayName: 'Observer',
      tier: 'beta_observer',
      tierExpiresAt: expiresAt,
    }).expect(201);
    expect(res.body).toMatchObject({ tier: 'beta_observer', tierExpiresAt: expiresAt });
    expect(res.body.mockPatients).toHaveLength(3);
    await provision({
      email: `x.${Date.now()}@example.test`,
      displayName: 'X',
      tier: 'user_pro',
    }).expect(400);
    await provision({ email, displayName: 'Again', tier: 'partner_free' }).expect(409);
    await provision({
      email: `y.${Date.now()}@example.test`,
      displayName: 'Y',
      tier: 'partner_free',
      isTest: false,
    }).expect(400);
  });

  it('nothing is half-created when the invitation cannot be sent (550 from the mail server)', async () => {
    const email = `reject-${Date.now()}@example.test`;
    const before = await tableCounts();
    const res = await provision({ email, displayName: 'Refused', tier: 'partner_free' }).expect(
      503,
    );
    expect(res.body).toMatchObject({ code: 'service_unavailable' });
    expect(await count(`SELECT count(*)::text AS n FROM users WHERE email = $1`, [email])).toBe(0);
    expect(await tableCounts()).toEqual(before);
  });

  it('scrub of one partner: only its rows; then scrub all: test rows 0, live rows unchanged, audited', async () => {
    const before = await tableCounts();
    expect(before.test.patients).toBeGreaterThanOrEqual(9);

    const one = await t
      .http()
      .post('/admin/test-data/scrub')
      .set(auth(adminToken))
      .send({ partnerId: partnerA.id })
      .expect(200);
    expect(one.body).toMatchObject({ partnerId: partnerA.id });
    expect(one.body.counts.patients).toBe(3);
    expect(Object.keys(one.body.counts as object)).toEqual(SCRUBBED_TABLES);
    expect(
      await count(`SELECT count(*)::text AS n FROM patients WHERE owner_id = $1`, [partnerA.id]),
    ).toBe(0);
    expect(
      await count(`SELECT count(*)::text AS n FROM patients WHERE owner_id = $1`, [partnerB.id]),
    ).toBe(3);
    const list = await t.http().get('/patients').set(auth(partnerA.token)).expect(200);
    expect(list.body.items).toEqual([]);

    const all = await t
      .http()
      .post('/admin/test-data/scrub')
      .set(auth(adminToken))
      .send({})
      .expect(200);
    expect(all.body.partnerId).toBeNull();
    expect(all.body.total).toBe(
      Object.values(all.body.counts as Record<string, number>).reduce((a, b) => a + b, 0),
    );
    const after = await tableCounts();
    for (const table of SCRUBBED_TABLES) expect(after.test[table]).toBe(0);
    expect(after.live).toEqual(before.live);
    expect(after.live.patients).toBe(1);
    const totalDeleted = (one.body.total as number) + (all.body.total as number);
    expect(totalDeleted).toBe(Object.values(before.test).reduce((a, b) => a + b, 0));

    const audit: {
      subject_id: string | null;
      actor_id: string;
      details: { counts: Record<string, number> };
    }[] = await t.dataSource.query(
      `SELECT subject_id, actor_id, details FROM audit_log WHERE action = 'test_data.scrub' ORDER BY created_at`,
    );
    expect(audit).toHaveLength(2);
    expect(audit[0]).toMatchObject({ subject_id: partnerA.id, actor_id: admin.id });
    expect(audit[1].details.counts).toEqual(all.body.counts);

    // The accounts stay; an unknown partner id is a 404; a second scrub finds nothing.
    expect(await count(`SELECT count(*)::text AS n FROM users WHERE id = $1`, [partnerA.id])).toBe(
      1,
    );
    await t
      .http()
      .post('/admin/test-data/scrub')
      .set(auth(adminToken))
      .send({ partnerId: '00000000-0000-4000-8000-000000000000' })
      .expect(404);
    const again = await t
      .http()
      .post('/admin/test-data/scrub')
      .set(auth(adminToken))
      .send({})
      .expect(200);
    expect(again.body.total).toBe(0);
  });

  // Last: closing a second app on the same database ends this file's use of it.
  it('nothing is half-created when the SMTP server is unreachable (closed port)', async () => {
    const closedPort = await new Promise<number>((resolve) => {
      const server = createServer();
      server.listen(0, '127.0.0.1', () => {
        const port = (server.address() as AddressInfo).port;
        server.close(() => resolve(port));
      });
    });
    const other = await startTestApp({
      database: t.database,
      env: { SMTP_URL: `smtp://127.0.0.1:${closedPort}` },
    });
    try {
      const email = `unreachable.${Date.now()}@example.test`;
      const before = await tableCounts();
      const users = await count(`SELECT count(*)::text AS n FROM users`);
      const tokens = await count(`SELECT count(*)::text AS n FROM link_tokens`);
      const res = await other
        .http()
        .post('/admin/partners')
        .set(auth(adminToken))
        .send({ email, displayName: 'Nobody', tier: 'partner_paid' })
        .expect(503);
      expect(res.body.code).toBe('service_unavailable');
      expect(await count(`SELECT count(*)::text AS n FROM users`)).toBe(users);
      expect(await count(`SELECT count(*)::text AS n FROM link_tokens`)).toBe(tokens);
      expect(await tableCounts()).toEqual(before);
    } finally {
      await other.app.close();
    }
  });
});
