import { DataSource } from 'typeorm';
import { ExpandUserRoles1795400002000 } from '../../migrations/1795400002000-ExpandUserRoles';
import { buildDataSourceOptions } from '../../src/database/data-source-options';
import { createTestDatabase, type TestDatabase } from '../harness/test-app';

/** The acceptance of seed 000 / issue 3, on an empty database, through TypeORM's runner. */
describe('Migrations (e2e)', () => {
  let database: TestDatabase;
  let ds: DataSource;

  beforeAll(async () => {
    database = await createTestDatabase({ empty: true });
    ds = new DataSource(buildDataSourceOptions({ url: database.url, poolMax: 2 }));
    await ds.initialize();
  });
  afterAll(async () => {
    await ds.destroy();
    await database.drop();
  });

  const roles = (): Promise<{ id: number; role_name: string }[]> =>
    ds.query('SELECT id, role_name FROM ref_user_roles ORDER BY id');

  it('migration:run twice: 11 tiers, legacy ids 1–3 unchanged, second run a no-op', async () => {
    const first = await ds.runMigrations();
    expect(first.length).toBeGreaterThan(0);
    const second = await ds.runMigrations();
    expect(second).toEqual([]);
    const rows = await roles();
    expect(rows).toHaveLength(11);
    expect(rows.slice(0, 3)).toEqual([
      { id: 1, role_name: 'admin' },
      { id: 2, role_name: 'partner' },
      { id: 3, role_name: 'user' },
    ]);
  });

  it('the tier migration is idempotent when its rows already exist', async () => {
    const runner = ds.createQueryRunner();
    try {
      await new ExpandUserRoles1795400002000().up(runner);
    } finally {
      await runner.release();
    }
    expect(await roles()).toHaveLength(11);
  });

  it('reverting the tier migration removes exactly the rows it added', async () => {
    await revertUntil('ExpandUserRoles1795400002000');
    expect((await roles()).map((r) => r.role_name)).toEqual(['admin', 'partner', 'user']);
    await ds.runMigrations();
    expect(await roles()).toHaveLength(11);
  });

  it('refuses to revert while users hold a new tier, naming how many', async () => {
    await ds.query(`
      WITH u AS (INSERT INTO users (email) VALUES ('a@x.test'), ('b@x.test') RETURNING id)
      INSERT INTO user_profiles (user_id, role_id) SELECT id, (SELECT id FROM ref_user_roles WHERE role_name = 'user_pro') FROM u`);
    await expect(revertUntil('ExpandUserRoles1795400002000')).rejects.toThrow(
      /2 user\(s\) hold a tier/,
    );
    expect(await roles()).toHaveLength(11);
    const kept: { n: string }[] = await ds.query(
      `SELECT count(*)::text AS n FROM user_profiles p JOIN ref_user_roles r ON r.id = p.role_id WHERE r.role_name = 'user_pro'`,
    );
    expect(kept[0].n).toBe('2');
    await ds.query(`DELETE FROM users`);
  });

  it('every migration reverts down to an empty schema and re-applies', async () => {
    while ((await ds.query(`SELECT count(*)::int AS n FROM typeorm_migrations`))[0].n > 0)
      await ds.undoLastMigration();
    const tables: { table_name: string }[] = await ds.query(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_name <> 'typeorm_migrations'`,
    );
    expect(tables).toEqual([]);
    await ds.runMigrations();
    expect(await roles()).toHaveLength(11);
  });

  async function revertUntil(name: string): Promise<void> {
    for (;;) {
      const [last] = await ds.query(`SELECT name FROM typeorm_migrations ORDER BY id DESC LIMIT 1`);
      if (!last) throw new Error(`${name} is not applied`);
      await ds.undoLastMigration();
      if (last.name === name) return;
    }
  }
});
