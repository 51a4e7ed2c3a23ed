import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The non-owner role every request transaction switches to (`SET LOCAL ROLE clinic_app`), so
 * PostgreSQL row-level security applies to the app's queries while one DATABASE_URL (the
 * owner) still runs migrations and system work. Roles are cluster-wide: created only when
 * missing, and granted to the migrating user so it may switch to it.
 */
export class CreateAppRole1795400005000 implements MigrationInterface {
  name = 'CreateAppRole1795400005000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`
      DO $$
      BEGIN
        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'clinic_app') THEN
          CREATE ROLE clinic_app NOLOGIN NOSUPERUSER NOBYPASSRLS NOINHERIT;
        END IF;
        IF NOT pg_has_role(current_user, 'clinic_app', 'MEMBER') THEN
          EXECUTE format('GRANT clinic_app TO %I', current_user);
        END IF;
      END $$`);
    await q.query(`GRANT USAGE ON SCHEMA public TO clinic_app`);
    await q.query(
      `GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO clinic_app`,
    );
    await q.query(`GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO clinic_app`);
    // Tables created by later migrations get the same grants.
    await q.query(
      `ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO clinic_app`,
    );
    await q.query(
      `ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO clinic_app`,
    );
    // Schema history and migration bookkeeping are not the app's to change.
    await q.query(
      `REVOKE INSERT, UPDATE, DELETE ON typeorm_migrations, migration_changes FROM clinic_app`,
    );
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE SELECT, INSERT, UPDATE, DELETE ON TABLES FROM clinic_app`,
    );
    await q.query(
      `ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE USAGE, SELECT ON SEQUENCES FROM clinic_app`,
    );
    await q.query(`REVOKE ALL ON ALL TABLES IN SCHEMA public FROM clinic_app`);
    await q.query(`REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM clinic_app`);
    await q.query(`REVOKE USAGE ON SCHEMA public FROM clinic_app`);
    // The role itself stays: other databases of the cluster may still use it.
  }
}
