import { Client } from 'pg';
import { contextStatement, type DbSessionContext } from '../../src/database/request-context';
import { seedScopeWorld, W } from '../fixtures/scope-world';
import { createTestDatabase, type TestDatabase } from '../harness/test-app';

/**
 * PostgreSQL row-level security alone, without any application filter: queries with no
 * WHERE clause, run as the app role with a caller's context, must return only rows in
 * that caller's scope (PRODUCT.md §2.3, seed 003, D11). Expected sets are written from
 * the spec, row by row.
 */
describe('Row-level security without app filters (e2e)', () => {
  let database: TestDatabase;
  let owner: Client;

  const id = W;

  beforeAll(async () => {
    database = await createTestDatabase();
    owner = new Client({ connectionString: database.url });
    await owner.connect();
    await seedScopeWorld(owner);
  });

  afterAll(async () => {
    await owner.end();
    await database.drop();
  });

  const ctx = (over: Partial<DbSessionContext> & { userId: string }): DbSessionContext => ({
    tenantId: null,
    tenantRole: null,
    clinicIds: [],
    platformAdmin: false,
    partner: false,
    ...over,
  });

  const callers = {
    member: ctx({ userId: id.member, tenantId: id.t1, tenantRole: 'MEMBER', clinicIds: [id.c1] }),
    colleague: ctx({
      userId: id.colleague,
      tenantId: id.t1,
      tenantRole: 'MEMBER',
      clinicIds: [id.c2],
    }),
    tenantOwner: ctx({ userId: id.tenantOwner, tenantId: id.t1, tenantRole: 'OWNER' }),
    other: ctx({ userId: id.other, tenantId: id.t2, tenantRole: 'MEMBER' }),
    solo: ctx({ userId: id.solo }),
    partner: ctx({
      userId: id.partner,
      tenantId: id.t1,
      tenantRole: 'MEMBER',
      clinicIds: [id.c1],
      partner: true,
    }),
    admin: ctx({ userId: id.admin, platformAdmin: true }),
  };

  async function asCaller<T>(
    caller: DbSessionContext,
    sql: string,
    params: unknown[] = [],
  ): Promise<T[]> {
    await owner.query('BEGIN');
    try {
      const statement = contextStatement(caller);
      await owner.query(statement.sql, statement.params);
      const result = await owner.query(sql, params);
      return result.rows as T[];
    } finally {
      await owner.query('ROLLBACK');
    }
  }

  const subjects = async (
    caller: DbSessionContext,
    table: 'patients' | 'vitals',
  ): Promise<string[]> => {
    const sql =
      table === 'patients'
        ? 'SELECT subject_id FROM patients'
        : 'SELECT (SELECT subject_id FROM patients p WHERE p.id = v.patient_id) AS subject_id FROM vitals v';
    const rows = await asCaller<{ subject_id: string | null }>(caller, sql);
    return rows.map((r) => r.subject_id ?? '(hidden patient)').sort();
  };

  // From PRODUCT.md §2.3: own; clinic members see their clinic's live rows; tenant OWNER/ADMIN
  // the tenant's live rows; partners only their own test rows; PLATFORM_ADMIN everything.
  const expectedPatients: Record<keyof typeof callers, string[]> = {
    member: ['CLINIC1ROW', 'MEMBEROWN1'],
    colleague: ['CLINIC1ROW', 'CLINIC2ROW'],
    tenantOwner: ['CLINIC1ROW', 'CLINIC2ROW', 'MEMBEROWN1'],
    other: ['TENANT2ROW'],
    solo: ['SOLOOWNER1'],
    partner: ['TEST-PARTNER001'],
    admin: [
      'CLINIC1ROW',
      'CLINIC2ROW',
      'MEMBEROWN1',
      'SOLOOWNER1',
      'TENANT2ROW',
      'TEST-PARTNER001',
    ],
  };

  it.each(Object.keys(callers) as (keyof typeof callers)[])(
    'patients visible to %s are exactly its scope',
    async (name) => {
      expect(await subjects(callers[name], 'patients')).toEqual(expectedPatients[name]);
    },
  );

  it.each(Object.keys(callers) as (keyof typeof callers)[])(
    'vitals visible to %s are exactly those of its patients (D12)',
    async (name) => {
      expect(await subjects(callers[name], 'vitals')).toEqual(expectedPatients[name]);
    },
  );

  it('a context-less app-role query sees no patient at all', async () => {
    await owner.query('BEGIN');
    try {
      await owner.query(`SET LOCAL ROLE clinic_app`);
      const rows = await owner.query('SELECT count(*)::int AS n FROM patients');
      expect(rows.rows[0].n).toBe(0);
    } finally {
      await owner.query('ROLLBACK');
    }
  });

  it('tenancy tables: a member sees its own tenant and its clinics only', async () => {
    const tenants = await asCaller<{ name: string }>(
      callers.member,
      'SELECT name FROM tenants ORDER BY name',
    );
    expect(tenants.map((t) => t.name)).toEqual(['T1']);
    const clinics = await asCaller<{ name: string }>(
      callers.member,
      'SELECT name FROM clinics ORDER BY name',
    );
    expect(clinics.map((c) => c.name)).toEqual(['C1', 'C2']);
    const members = await asCaller<{ user_id: string }>(
      callers.member,
      'SELECT user_id FROM tenant_members',
    );
    expect(members.map((m) => m.user_id)).toEqual([id.member]);
    const ownerView = await asCaller<{ user_id: string }>(
      callers.tenantOwner,
      'SELECT user_id FROM tenant_members ORDER BY user_id',
    );
    expect(ownerView.map((m) => m.user_id).sort()).toEqual(
      [id.tenantOwner, id.member, id.colleague, id.partner].sort(),
    );
    expect(await asCaller(callers.solo, 'SELECT * FROM tenants')).toEqual([]);
    expect(await asCaller(callers.other, 'SELECT * FROM clinic_members')).toEqual([]);
  });

  it('check-ins: private only for the author; shared for the clinic; non-private for tenant admins (D11)', async () => {
    const notes = async (caller: DbSessionContext): Promise<string[]> =>
      (await asCaller<{ note: string }>(caller, 'SELECT note FROM check_ins ORDER BY note')).map(
        (r) => r.note,
      );
    expect(await notes(callers.member)).toEqual(['private', 'shared-c1', 'tenant-visible']);
    expect(await notes(callers.partner)).toEqual(['shared-c1']); // a C1 member, not the author
    expect(await notes(callers.colleague)).toEqual([]); // C2: nothing shared with it
    expect(await notes(callers.tenantOwner)).toEqual(['shared-c1', 'tenant-visible']);
    expect(await notes(callers.other)).toEqual([]);
    expect(await notes(callers.admin)).toEqual(['private', 'shared-c1', 'tenant-visible']);
  });

  it('rejects writes outside the scope', async () => {
    await expect(
      asCaller(
        callers.member,
        `INSERT INTO patients (tenant_id, clinic_id, owner_id, subject_id) VALUES ($1, $2, $3, 'ABCDEFGHIJ')`,
        [id.t2, id.c3, id.other],
      ),
    ).rejects.toThrow(/row-level security/);
    await expect(
      asCaller(
        callers.partner,
        `INSERT INTO patients (owner_id, subject_id, is_test) VALUES ($1, 'ABCDEFGHIK', FALSE)`,
        [id.partner],
      ),
    ).rejects.toThrow(/row-level security/);
    const updated = await asCaller<{ id: string }>(
      callers.other,
      `UPDATE patients SET initials = 'X' RETURNING id`,
    );
    expect(updated).toHaveLength(1); // only its own tenant's row
    await expect(
      asCaller(
        callers.member,
        `UPDATE tenant_members SET role = 'OWNER' WHERE user_id = $1 RETURNING user_id`,
        [id.member],
      ),
    ).resolves.toEqual([]);
  });
});
