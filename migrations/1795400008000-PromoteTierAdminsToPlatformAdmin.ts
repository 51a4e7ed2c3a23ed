import type { MigrationInterface, QueryRunner } from 'typeorm';

const MIGRATION = 'PromoteTierAdminsToPlatformAdmin1795400008000';

/**
 * Seed 004's data migration under D2: tier `admin` unlocks features but is not platform
 * administration. Legacy users on tier `admin` who belong to no tenant were the platform's
 * operators, so they get `platform_role = 'PLATFORM_ADMIN'`; tier-admins inside a tenant
 * stay tenant-scoped (their tenant role says what they administer).
 *
 * Every user it promotes is recorded in `migration_changes`, so `down` demotes exactly
 * those and never a PLATFORM_ADMIN created another way. Both directions bump
 * `token_version` (API.md "Role changes": outstanding access tokens carry the old role).
 * The tier name is spelled out: a migration is a snapshot and must not follow code renames.
 */
export class PromoteTierAdminsToPlatformAdmin1795400008000 implements MigrationInterface {
  name = MIGRATION;

  public async up(q: QueryRunner): Promise<void> {
    const promoted = (await q.query(
      `UPDATE users u
          SET platform_role = 'PLATFORM_ADMIN', token_version = u.token_version + 1, updated_at = now()
         FROM user_profiles p
         JOIN ref_user_roles r ON r.id = p.role_id
        WHERE p.user_id = u.id
          AND r.role_name = 'admin'
          AND u.platform_role IS NULL
          AND NOT EXISTS (SELECT 1 FROM tenant_members m WHERE m.user_id = u.id)
        RETURNING u.id`,
    )) as [{ id: string }[], number] | { id: string }[];
    const rows = rowsOf(promoted);
    for (const row of rows) {
      await q.query(
        `INSERT INTO migration_changes (migration, table_name, row_key, previous_value)
         VALUES ($1, 'users', $2, $3) ON CONFLICT DO NOTHING`,
        [MIGRATION, row.id, JSON.stringify({ platform_role: null })],
      );
    }
    // Operators should see what a data migration did to whom (seed 004 logs the count too).
    console.log(
      `${MIGRATION}: promoted ${rows.length} tier-admin user(s) without a tenant to PLATFORM_ADMIN`,
    );
  }

  public async down(q: QueryRunner): Promise<void> {
    const demoted = (await q.query(
      `UPDATE users u
          SET platform_role = NULL, token_version = u.token_version + 1, updated_at = now()
         FROM migration_changes c
        WHERE c.migration = $1 AND c.table_name = 'users' AND c.row_key = u.id::text
          AND u.platform_role = 'PLATFORM_ADMIN'
        RETURNING u.id`,
      [MIGRATION],
    )) as [{ id: string }[], number] | { id: string }[];
    await q.query(`DELETE FROM migration_changes WHERE migration = $1`, [MIGRATION]);
    console.log(
      `${MIGRATION} (down): restored ${rowsOf(demoted).length} user(s) to no platform role`,
    );
  }
}

/** TypeORM's postgres driver answers UPDATE … RETURNING with [rows, count]. */
function rowsOf(result: [{ id: string }[], number] | { id: string }[]): { id: string }[] {
  return Array.isArray(result[0]) ? result[0] : (result as { id: string }[]);
}
