import { DataSource } from 'typeorm';
import { MIGRATIONS } from '../../migrations';
import { PromoteTierAdminsToPlatformAdmin1795400008000 as Promote } from '../../migrations/1795400008000-PromoteTierAdminsToPlatformAdmin';
import { buildDataSourceOptions } from '../../src/database/data-source-options';
import { createTestDatabase, type TestDatabase } from '../harness/test-app';

/** Seed 004 / D2 on a database holding legacy rows: tier-admins without a tenant become PLATFORM_ADMIN. */
describe('PLATFORM_ADMIN data migration (e2e)', () => {
  let database: TestDatabase;
  let ds: DataSource;
  const name = new Promote().name;
  const before = MIGRATIONS.slice(0, MIGRATIONS.indexOf(Promote));
  let logs: string[] = [];
  let logSpy: jest.SpyInstance;

  beforeAll(async () => {
    database = await createTestDatabase({ empty: true });
    // The schema as it was just before this migration.
    const legacy = new DataSource({
      ...buildDataSourceOptions({ url: database.url, poolMax: 1 }),
      migrations: before,
    });
    await legacy.initialize();
    await legacy.runMigrations({ transaction: 'each' });
    await legacy.destroy();
    ds = new DataSource(buildDataSourceOptions({ url: database.url, poolMax: 2 }));
    await ds.initialize();
    logSpy = jest
      .spyOn(console, 'log')
      .mockImplementation((...args: unknown[]) => void logs.push(args.join(' ')));
  });
  afterAll(async () => {
    logSpy.mockRestore();
    await ds.destroy();
    await database.drop();
  });

  async function insertUser(
    email: string,
    tier: string,
    platformRole: string | null = null,
  ): Promise<string> {
    const [row] = await ds.query<{ id: string }[]>(
      `WITH u AS (INSERT INTO users (email, platform_role) VALUES ($1, $2) RETURNING id)
       INSERT INTO user_profiles (user_id, role_id) SELECT id, (SELECT id FROM ref_user_roles WHERE role_name = $3) FROM u
       RETURNING user_id AS id`,
      [email, platformRole, tier],
    );
    return row.id;
  }

  const state = async (): Promise<Record<string, { role: string | null; version: number }>> => {
    const rows: { email: string; platform_role: string | null; token_version: number }[] =
      await ds.query(`SELECT email, platform_role, token_version FROM users ORDER BY email`);
    return Object.fromEntries(
      rows.map((r) => [r.email, { role: r.platform_role, version: r.token_version }]),
    );
  };

  it('promotes exactly the tier-admins without a tenant; down restores exactly those', async () => {
    const applied: { name: string }[] = await ds.query(`SELECT name FROM typeorm_migrations`);
    expect(applied.map((m) => m.name)).not.toContain(name);

    await insertUser('ops1@legacy.test', 'admin');
    await insertUser('ops2@legacy.test', 'admin');
    const tenantAdmin = await insertUser('clinic-admin@legacy.test', 'admin');
    await insertUser('already@legacy.test', 'admin', 'PLATFORM_ADMIN');
    await insertUser('partner@legacy.test', 'partner');
    await insertUser('user@legacy.test', 'user');
    const [tenant] = await ds.query<{ id: string }[]>(
      `INSERT INTO tenants (name) VALUES ('Legacy clinic group') RETURNING id`,
    );
    await ds.query(
      `INSERT INTO tenant_members (tenant_id, user_id, role) VALUES ($1, $2, 'ADMIN')`,
      [tenant.id, tenantAdmin],
    );

    logs = [];
    const ran = await ds.runMigrations({ transaction: 'each' });
    expect(ran.map((m) => m.name)).toContain(name);
    expect(logs.some((l) => l.includes(`${name}: promoted 2 tier-admin user(s)`))).toBe(true);

    const after = await state();
    expect(after['ops1@legacy.test']).toEqual({ role: 'PLATFORM_ADMIN', version: 1 });
    expect(after['ops2@legacy.test']).toEqual({ role: 'PLATFORM_ADMIN', version: 1 });
    expect(after['clinic-admin@legacy.test']).toEqual({ role: null, version: 0 });
    expect(after['already@legacy.test']).toEqual({ role: 'PLATFORM_ADMIN', version: 0 });
    expect(after['partner@legacy.test'].role).toBeNull();
    expect(after['user@legacy.test'].role).toBeNull();
    const changes: { row_key: string }[] = await ds.query(
      `SELECT row_key FROM migration_changes WHERE migration = $1 ORDER BY row_key`,
      [name],
    );
    expect(changes).toHaveLength(2);

    // Revert everything down to (and including) this migration.
    for (;;) {
      const [last] = await ds.query<{ name: string }[]>(
        `SELECT name FROM typeorm_migrations ORDER BY id DESC LIMIT 1`,
      );
      await ds.undoLastMigration({ transaction: 'each' });
      if (last.name === name) break;
    }
    const reverted = await state();
    expect(reverted['ops1@legacy.test']).toEqual({ role: null, version: 2 });
    expect(reverted['ops2@legacy.test']).toEqual({ role: null, version: 2 });
    // Not promoted by the migration, so not touched by its down either.
    expect(reverted['already@legacy.test']).toEqual({ role: 'PLATFORM_ADMIN', version: 0 });
    expect(reverted['clinic-admin@legacy.test']).toEqual({ role: null, version: 0 });
    expect(await ds.query(`SELECT 1 FROM migration_changes WHERE migration = $1`, [name])).toEqual(
      [],
    );

    // Re-applying is safe: same two promoted again, nothing else.
    await ds.runMigrations({ transaction: 'each' });
    const again = await state();
    expect(Object.values(again).filter((u) => u.role === 'PLATFORM_ADMIN')).toHaveLength(3);
  });
});
