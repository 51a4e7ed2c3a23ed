import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `ref_user_roles` as production has it (seed 000, "Current State"): three legacy rows with
 * fixed ids. Idempotent, so it also runs against a database that already has the table.
 * Also creates `migration_changes`, where data migrations record exactly which rows they
 * touched so that their `down` can undo those rows and no others.
 */
export class CreateRefUserRoles1795400000000 implements MigrationInterface {
  name = 'CreateRefUserRoles1795400000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE IF NOT EXISTS ref_user_roles (
        id SERIAL PRIMARY KEY,
        role_name TEXT NOT NULL UNIQUE,
        description TEXT,
        created_at TIMESTAMPTZ DEFAULT NOW()
      )`);
    await q.query(`
      INSERT INTO ref_user_roles (id, role_name, description) VALUES
        (1, 'admin',   'System administrator with full access'),
        (2, 'partner', 'Partner organization with elevated privileges'),
        (3, 'user',    'Standard user with basic access')
      ON CONFLICT DO NOTHING`);
    // Explicit ids do not advance the sequence: move it past them.
    await q.query(
      `SELECT setval(pg_get_serial_sequence('ref_user_roles', 'id'), GREATEST((SELECT MAX(id) FROM ref_user_roles), 3))`,
    );
    await q.query(`
      CREATE TABLE IF NOT EXISTS migration_changes (
        migration TEXT NOT NULL,
        table_name TEXT NOT NULL,
        row_key TEXT NOT NULL,
        previous_value JSONB,
        changed_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
        PRIMARY KEY (migration, table_name, row_key)
      )`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS migration_changes`);
    // The legacy rows predate this project (seed 000): dropping the table would break every
    // FK that references it, so down only removes it when nothing else uses it.
    await q.query(`DROP TABLE IF EXISTS ref_user_roles RESTRICT`);
  }
}
