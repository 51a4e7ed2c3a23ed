import type { MigrationInterface, QueryRunner } from 'typeorm';

const MIGRATION = 'ExpandUserRoles1795400002000';

/**
 * Seed 000 (WO-506): brings `ref_user_roles` from the 3 legacy rows to the 11 tiers.
 * Additive and idempotent: `ON CONFLICT (role_name) DO NOTHING`, nothing dropped or renamed,
 * ids 1–3 untouched. The rows it actually inserted are recorded in `migration_changes`, so
 * `down` removes exactly those, and refuses while any user holds one of them.
 * The tier names are spelled out here on purpose: a migration is a snapshot in time and must
 * not change when the TypeScript list does (the boot check compares the two instead).
 */
const NEW_ROLES: readonly (readonly [string, string])[] = [
  ['owner', 'Business owner — full data access, no system admin controls'],
  [
    'partner_free',
    'Free pilot partner — full Wellness Journey (TEST data only), no Analytics/Protocol Builder/Export',
  ],
  [
    'partner_paid',
    'Paid pilot partner — Wellness Journey + Protocol Builder + Analytics + Data Export',
  ],
  ['beta_observer', 'Non-practitioner UI/UX tester — demo shell, read-only. Time-boxed role.'],
  ['user_free', 'Free tier — limited access, no multi-patient dashboard or analytics'],
  ['user_pro', 'Paid Tier 1 — individual practitioners and researchers'],
  ['user_premium', 'Paid Tier 2 — advanced features unlocked'],
  ['user_enterprise', 'Multi-seat — clinics and research organizations'],
];

export class ExpandUserRoles1795400002000 implements MigrationInterface {
  name = MIGRATION;

  public async up(q: QueryRunner): Promise<void> {
    const values = NEW_ROLES.map((_, i) => `($${i * 2 + 1}, $${i * 2 + 2})`).join(', ');
    const inserted = (await q.query(
      `INSERT INTO ref_user_roles (role_name, description) VALUES ${values}
       ON CONFLICT (role_name) DO NOTHING RETURNING id, role_name`,
      NEW_ROLES.flat(),
    )) as { id: number; role_name: string }[];
    for (const row of inserted) {
      await q.query(
        `INSERT INTO migration_changes (migration, table_name, row_key) VALUES ($1, 'ref_user_roles', $2)
         ON CONFLICT DO NOTHING`,
        [MIGRATION, row.role_name],
      );
    }
    await q.query(
      `COMMENT ON TABLE ref_user_roles IS 'Reference table for user role tiers: admin, owner, partner_free, partner_paid, beta_observer, user_free, user_pro, user_premium, user_enterprise. Legacy roles (partner, user) retained for FK compatibility.'`,
    );
  }

  public async down(q: QueryRunner): Promise<void> {
    const holders = (await q.query(
      `SELECT count(*)::text AS count FROM user_profiles p
         JOIN ref_user_roles r ON r.id = p.role_id
         JOIN migration_changes c ON c.migration = $1 AND c.table_name = 'ref_user_roles' AND c.row_key = r.role_name`,
      [MIGRATION],
    )) as { count: string }[];
    const count = Number(holders[0]?.count ?? 0);
    if (count > 0) {
      throw new Error(
        `Refusing to revert ${MIGRATION}: ${count} user(s) hold a tier this migration added; ` +
          `move them to a legacy tier first so that no user loses their role.`,
      );
    }
    await q.query(
      `DELETE FROM ref_user_roles r USING migration_changes c
        WHERE c.migration = $1 AND c.table_name = 'ref_user_roles' AND c.row_key = r.role_name`,
      [MIGRATION],
    );
    await q.query(`DELETE FROM migration_changes WHERE migration = $1`, [MIGRATION]);
    await q.query(`COMMENT ON TABLE ref_user_roles IS NULL`);
  }
}
