import { createPatient } from '../factories/clinical';
import { startTestApp, type TestApp } from '../harness/test-app';
import { bearer, buildClinicalWorld, type ClinicalWorld } from './support/clinical-world';
import { countQueries } from './support/query-counter';

jest.setTimeout(60_000);

const PRINCIPAL = /^\s*SELECT u\.id, u\.email/;
const CONTEXT = /^SELECT set_config\('role', 'clinic_app', true\)/;
const BEGIN_WITH_CONTEXT = /^START TRANSACTION; SELECT set_config\('role', 'clinic_app', true\)/;

/**
 * What each request sends to PostgreSQL (src/database/request-context.ts): a GET that needs one
 * statement sends it with the caller's RLS context in one message, outside any transaction; a
 * write opens its transaction with its first statement (BEGIN + context in the same message)
 * and commits, or rolls back on error; a request that reads nothing opens nothing.
 */
describe('Request transactions (e2e)', () => {
  let t: TestApp;
  let w: ClinicalWorld;
  let patientId: string;

  beforeAll(async () => {
    t = await startTestApp();
    w = await buildClinicalWorld(t);
    patientId = (
      await createPatient(t.dataSource, { ownerId: w.member.id, tenantId: w.t1, clinicId: w.c1 })
    ).id;
    // Warm the app's caches (feature flags, abilities) so each test sees a steady-state request.
    await t
      .http()
      .get(`/patients/${patientId}`)
      .set(...bearer(w.colleague));
  }, 60_000);
  afterAll(() => t.close());

  it('GET /patients/:id: two round trips, the principal and the statement with its RLS context', async () => {
    const { result, statements } = await countQueries(() =>
      t
        .http()
        .get(`/patients/${patientId}`)
        .set(...bearer(w.colleague)),
    );
    expect(result.status).toBe(200);
    expect(result.body.id).toBe(patientId);
    expect(statements).toHaveLength(2);
    expect(statements[0]).toMatch(PRINCIPAL);
    expect(statements[1]).toMatch(CONTEXT);
    // The caller's identity, quoted, and the patient id inlined as a literal in the same message.
    expect(statements[1]).toContain(`set_config('app.user_id', '${w.colleague.id}', true)`);
    expect(statements[1]).toContain(`p.id = '${patientId}'`);
    expect(statements.join('\n')).not.toMatch(/START TRANSACTION|COMMIT/);
  });

  it('the one-message read runs under RLS: a patient outside the scope is 404 even if the SQL filter were gone', async () => {
    // `other` is in tenant T2: its filter excludes the row, and so does the policy (rls-http
    // checks the policy alone with the app's filters switched off).
    const res = await t
      .http()
      .get(`/patients/${patientId}`)
      .set(...bearer(w.other));
    expect(res.status).toBe(404);
    expect(res.body.code).toBe('not_found');
  });

  it('the context does not outlive its message: the connection is back to the owner role', async () => {
    await t
      .http()
      .get(`/patients/${patientId}`)
      .set(...bearer(w.colleague));
    // TypeORM's pool is the app's pool: every idle connection must be clean.
    const rows: { role: string; user_id: string }[] = await t.dataSource.query(
      `SELECT current_user AS role, current_setting('app.user_id', true) AS user_id`,
    );
    expect(rows[0].role).not.toBe('clinic_app');
    expect(rows[0].user_id ?? '').toBe('');
  });

  it('PATCH: BEGIN and the context travel with the first statement, then COMMIT', async () => {
    const { result, statements } = await countQueries(() =>
      t
        .http()
        .patch(`/patients/${patientId}`)
        .set(...bearer(w.member))
        .send({ initials: 'QX' }),
    );
    expect(result.status).toBe(200);
    expect(result.body.initials).toBe('QX');
    expect(statements[0]).toMatch(PRINCIPAL);
    expect(statements[1]).toMatch(BEGIN_WITH_CONTEXT);
    expect(statements.filter((s) => /START TRANSACTION/.test(s))).toHaveLength(1);
    expect(statements[statements.length - 1]).toBe('COMMIT');
    const stored: { initials: string }[] = await t.dataSource.query(
      'SELECT initials FROM patients WHERE id = $1',
      [patientId],
    );
    expect(stored[0].initials).toBe('QX');
  });

  it('a write that fails rolls back everything it did', async () => {
    // intake → completed skips phases: 409 after the row was read and locked.
    const { result, statements } = await countQueries(() =>
      t
        .http()
        .post(`/patients/${patientId}/phase`)
        .set(...bearer(w.member))
        .send({ phase: 'completed' }),
    );
    expect(result.status).toBe(409);
    expect(statements[statements.length - 1]).toBe('ROLLBACK');
    expect(statements).not.toContain('COMMIT');
  });

  it('a platform admin GET reads in one message, then writes its audit row in a transaction', async () => {
    const { result, statements } = await countQueries(() =>
      t
        .http()
        .get(`/patients/${patientId}`)
        .set(...bearer(w.admin)),
    );
    expect(result.status).toBe(200);
    expect(statements[1]).toMatch(CONTEXT);
    expect(statements[2]).toMatch(BEGIN_WITH_CONTEXT);
    expect(statements[statements.length - 1]).toBe('COMMIT');
    const audit: { n: string }[] = await t.dataSource.query(
      `SELECT count(*) AS n FROM audit_log WHERE actor_id = $1 AND subject_id = $2`,
      [w.admin.id, patientId],
    );
    expect(Number(audit[0].n)).toBeGreaterThanOrEqual(1);
  });

  it('a request that reads nothing sends nothing but the principal lookup', async () => {
    const { result, statements } = await countQueries(() =>
      t
        .http()
        .get('/me/abilities')
        .set(...bearer(w.member)),
    );
    expect(result.status).toBe(200);
    expect(statements).toHaveLength(1);
    expect(statements[0]).toMatch(PRINCIPAL);
  });
});
