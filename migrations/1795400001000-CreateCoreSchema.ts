import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Users, profiles and tenancy. Every tenant-scoped table leads its keys and indexes with
 * `tenant_id`; child tables reference their parent through (tenant_id, id) so a row can
 * never point into another tenant.
 */
export class CreateCoreSchema1795400001000 implements MigrationInterface {
  name = 'CreateCoreSchema1795400001000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE users (
        id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
        email TEXT NOT NULL CHECK (email = lower(email) AND position('@' in email) > 1),
        display_name TEXT,
        password_hash TEXT,
        platform_role TEXT CHECK (platform_role IN ('PLATFORM_ADMIN')),
        token_version INTEGER NOT NULL DEFAULT 0,
        disabled_at TIMESTAMPTZ,
        activated_at TIMESTAMPTZ,
        created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
        updated_at TIMESTAMPTZ NOT NULL DEFAULT NOW()
      )`);
    await q.query(`CREATE UNIQUE INDEX users_email_key ON users (email)`);

    await q.query(`
      CREATE TABLE user_profiles (
        user_id UUID PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
        role_id INTEGER NOT NULL DEFAULT 3 REFERENCES ref_user_roles (id),
        role_expires_at TIMESTAMPTZ,
        updated_at TIMESTAMPTZ NOT NULL DEFAULT NOW()
      )`);
    await q.query(`CREATE INDEX user_profiles_role_id_idx ON user_profiles (role_id)`);

    await q.query(`
      CREATE TABLE tenants (
        id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
        name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
        seat_limit INTEGER CHECK (seat_limit >= 0),
        created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
        updated_at TIMESTAMPTZ NOT NULL DEFAULT NOW()
      )`);

    await q.query(`
      CREATE TABLE clinics (
        tenant_id UUID NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
        id UUID NOT NULL DEFAULT gen_random_uuid(),
        name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
        created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
        updated_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
        PRIMARY KEY (id),
        CONSTRAINT clinics_tenant_id_id_key UNIQUE (tenant_id, id),
        CONSTRAINT clinics_tenant_id_name_key UNIQUE (tenant_id, name)
      )`);

    await q.query(`
      CREATE TABLE tenant_members (
        tenant_id UUID NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
        user_id UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        role TEXT NOT NULL CHECK (role IN ('OWNER', 'ADMIN', 'MEMBER')),
        created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
        PRIMARY KEY (tenant_id, user_id)
      )`);
    // D5: a user belongs to at most one tenant. The one unique key not led by tenant_id:
    // it is a rule across tenants (listed in src/database/table-registry.ts).
    await q.query(
      `CREATE UNIQUE INDEX tenant_members_one_tenant_per_user ON tenant_members (user_id)`,
    );

    await q.query(`
      CREATE TABLE clinic_members (
        tenant_id UUID NOT NULL,
        clinic_id UUID NOT NULL,
        user_id UUID NOT NULL,
        role TEXT NOT NULL CHECK (role IN ('ADMIN', 'MEMBER')),
        created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
        PRIMARY KEY (tenant_id, clinic_id, user_id),
        FOREIGN KEY (tenant_id, clinic_id) REFERENCES clinics (tenant_id, id) ON DELETE CASCADE,
        -- a clinic member must be a member of the clinic's tenant (seed 003)
        FOREIGN KEY (tenant_id, user_id) REFERENCES tenant_members (tenant_id, user_id) ON DELETE CASCADE
      )`);
    // D5: within the tenant, MEMBER of at most one clinic (ADMIN of any number).
    await q.query(
      `CREATE UNIQUE INDEX clinic_members_one_member_clinic ON clinic_members (tenant_id, user_id) WHERE role = 'MEMBER'`,
    );
    await q.query(
      `CREATE INDEX clinic_members_tenant_user_idx ON clinic_members (tenant_id, user_id)`,
    );
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE clinic_members`);
    await q.query(`DROP TABLE tenant_members`);
    await q.query(`DROP TABLE clinics`);
    await q.query(`DROP TABLE tenants`);
    await q.query(`DROP TABLE user_profiles`);
    await q.query(`DROP TABLE users`);
  }
}
