import { DataSource } from 'typeorm';
import { MIGRATIONS } from '../../migrations';
import { buildDataSourceOptions } from '../../src/database/data-source-options';
import { createTestDatabase, type TestDatabase } from '../harness/test-app';

/**
 * Every migration on a database shaped like the seeds' production (seed 000 "Current State"):
 * `ref_user_roles` created by the legacy SQL with its 3 rows (SERIAL ids, sequence at 3),
 * then users and profiles on each legacy role. The migrations after the core schema run up,
 * down and up again: no row is lost, ids 1–3 keep their names, and the seed 004 data migration
 * (tier admin without a tenant → PLATFORM_ADMIN) is applied and undone exactly.
 * (The full down/up to an empty schema is in migrations.e2e-spec.ts.)
 */
describe('Migrations on a legacy database (e2e)', () => {
  let database: TestDatabase;
  let ds: DataSource;

  beforeAll(async () => {
    database = await createTestDatabase({ empty: true });
    const legacy = new DataSource({ type: 'postgres', url: database.url });
    await legacy.initialize();
    // migrations/020_create_user_profiles.sql of production, as quoted by seed 000.
    await legacy.query(`
      CREATE TABLE IF NOT EXISTS public.ref_user_roles (
        id SERIAL PRIMARY KEY,
        role_name TEXT NOT NULL UNIQUE,
        description TEXT,
        created_at TIMESTAMPTZ DEFAULT NOW()
      )`);
    await legacy.query(`
      INSERT INTO public.ref_user_roles (role_name, description) VALUES
        ('admin', 'System administrator with full access'),
        ('partner', 'Partner organization with elevated privileges'),
        ('user', 'Standard user with basic access')`);
    await legacy.destroy();
    ds = new DataSource(buildDataSourceOptions({ url: database.url, poolMax: 2 }));
    await ds.initialize();
  }, 60_000);
  afterAll(async () => {
    await ds?.destroy();
    await database?.drop();
  });

  const roles = (): Promise<{ id: number; role_name: string }[]> =>
    ds.query('SELECT id, role_name FROM ref_user_roles ORDER BY id');
  const people = (): Promise<
    { email: string; role_id: number; platform_role: string | null; tenant: string | null }[]
  > =>
    ds.query(`SELECT u.email, p.role_id, u.platform_role, tm.tenant_id AS tenant
                FROM users u JOIN user_profiles p ON p.user_id = u.id
                LEFT JOIN tenant_members tm ON tm.user_id = u.id
               ORDER BY u.email`);
  const applied = async (): Promise<string[]> =>
    (await ds.query<{ name: string }[]>(`SELECT name FROM typeorm_migrations ORDER BY id`)).map(
      (r) => r.name,
    );
  const CORE = 'CreateCoreSchema1795400001000';

  it('runs up on the legacy table, down to the legacy shape and up again without losing a row', async () => {
    // Up to the core schema (users, profiles, tenants), then the legacy population.
    const partial = new DataSource({
      ...buildDataSourceOptions({ url: database.url, poolMax: 1 }),
      migrations: MIGRATIONS.slice(0, 2),
    });
    await partial.initialize();
    await partial.runMigrations();
    await partial.destroy();
    expect(await roles()).toEqual([
      { id: 1, role_name: 'admin' },
      { id: 2, role_name: 'partner' },
      { id: 3, role_name: 'user' },
    ]);
    const [tenant] = await ds.query<{ id: string }[]>(
      `INSERT INTO tenants (name) VALUES ('Legacy clinic group') RETURNING id`,
    );
    await ds.query(`
      INSERT INTO users (email) VALUES
        ('admin-solo@legacy.test'), ('admin-tenant@legacy.test'), ('partner-1@legacy.test'),
        ('partner-2@legacy.test'), ('user-1@legacy.test'), ('user-2@legacy.test'), ('user-default@legacy.test')`);
    await ds.query(`
      INSERT INTO user_profiles (user_id, role_id)
      SELECT id, CASE WHEN email LIKE 'admin%' THEN 1 WHEN email LIKE 'partner%' THEN 2 ELSE 3 END
        FROM users WHERE email <> 'user-default@legacy.test'`);
    // The column default (3 = user) of the legacy schema.
    await ds.query(
      `INSERT INTO user_profiles (user_id) SELECT id FROM users WHERE email = 'user-default@legacy.test'`,
    );
    await ds.query(
      `INSERT INTO tenant_members (tenant_id, user_id, role) SELECT $1, id, 'OWNER' FROM users WHERE email = 'admin-tenant@legacy.test'`,
      [tenant?.id],
    );
    const legacyPeople = await people();
    expect(legacyPeople.map((p) => p.role_id)).toEqual([1, 1, 2, 2, 3, 3, 3]);

    // Up: every remaining migration.
    await ds.runMigrations();
    const upOnce = { roles: await roles(), people: await people(), migrations: await applied() };
    expect(upOnce.migrations).toEqual(MIGRATIONS.map((m) => new m().name));
    expect(upOnce.roles).toHaveLength(11);
    expect(upOnce.roles.slice(0, 3)).toEqual([
      { id: 1, role_name: 'admin' },
      { id: 2, role_name: 'partner' },
      { id: 3, role_name: 'user' },
    ]);
    // Nobody lost; only the tier admin without a tenant became PLATFORM_ADMIN (seed 004, D2).
    expect(upOnce.people).toEqual(
      legacyPeople.map((p) => ({
        ...p,
        platform_role: p.email === 'admin-solo@legacy.test' ? 'PLATFORM_ADMIN' : null,
      })),
    );

    // Down: every migration after the core schema.
    while ((await applied()).at(-1) !== CORE) await ds.undoLastMigration();
    expect(await people()).toEqual(legacyPeople);
    expect(await roles()).toEqual([
      { id: 1, role_name: 'admin' },
      { id: 2, role_name: 'partner' },
      { id: 3, role_name: 'user' },
    ]);

    // Up again: the same state as after the first up. The 8 new tiers are re-inserted with new
    // SERIAL ids (nothing can reference them once down has run: it refuses while a user holds one);
    // the legacy ids 1–3 never move.
    const names = (rows: { role_name: string }[]): string[] => rows.map((r) => r.role_name);
    await ds.runMigrations();
    const upAgain = { roles: await roles(), people: await people(), migrations: await applied() };
    expect(upAgain.roles.slice(0, 3)).toEqual(upOnce.roles.slice(0, 3));
    expect(names(upAgain.roles)).toEqual(names(upOnce.roles));
    expect({ ...upAgain, roles: null }).toEqual({ ...upOnce, roles: null });
    const counts = await ds.query<{ users: number; profiles: number }[]>(
      `SELECT (SELECT count(*)::int FROM users) AS users, (SELECT count(*)::int FROM user_profiles) AS profiles`,
    );
    expect(counts[0]).toEqual({ users: 7, profiles: 7 });
  }, 120_000);
});
