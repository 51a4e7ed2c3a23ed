import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Tenancy lifecycle (issue 5):
 * - Check-ins are personal (seed 003: "own daily check-ins"): deleting a tenant must not
 *   delete its members' journals, private ones included. The tenant reference becomes NULL
 *   instead (the shares go with the clinics), so they stay their author's alone.
 * - A member who leaves a tenant while holding an enterprise seat gives the seat back and gets
 *   their previous tier restored (D6). Leaving runs in the member's own RLS context, so they
 *   must be able to read and delete their own seat grant (and nothing else of seat_grants).
 * - Sharing a check-in: the WITH CHECK of `check_in_shares_scope` read `check_ins`, whose
 *   SELECT policy reads `check_in_shares`: PostgreSQL refuses every non-admin INSERT with
 *   "infinite recursion detected in policy". The authorship test moves into a SECURITY
 *   DEFINER function (owner rights, so it does not re-enter the check_ins policy).
 */
export class TenancyLifecycle1795400009500 implements MigrationInterface {
  name = 'TenancyLifecycle1795400009500';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION app_authored_check_in(p_check_in_id uuid) RETURNS boolean
        LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
        AS $$ SELECT EXISTS (SELECT 1 FROM check_ins c WHERE c.id = p_check_in_id AND c.author_id = app_user_id()) $$`);
    await q.query(`REVOKE ALL ON FUNCTION app_authored_check_in(uuid) FROM PUBLIC`);
    await q.query(`GRANT EXECUTE ON FUNCTION app_authored_check_in(uuid) TO clinic_app`);
    await q.query(`DROP POLICY check_in_shares_scope ON check_in_shares`);
    await q.query(
      `CREATE POLICY check_in_shares_scope ON check_in_shares AS PERMISSIVE FOR ALL TO clinic_app
         USING (app_platform_admin() OR tenant_id = app_tenant_id())
         WITH CHECK (app_platform_admin() OR (tenant_id = app_tenant_id() AND app_authored_check_in(check_in_id)))`,
    );
    await q.query(`ALTER TABLE check_ins DROP CONSTRAINT check_ins_tenant_id_fkey`);
    await q.query(
      `ALTER TABLE check_ins ADD CONSTRAINT check_ins_tenant_id_fkey
         FOREIGN KEY (tenant_id) REFERENCES tenants (id) ON DELETE SET NULL`,
    );
    await q.query(
      `CREATE POLICY seat_grants_own_select ON seat_grants AS PERMISSIVE FOR SELECT TO clinic_app
         USING (user_id = app_user_id())`,
    );
    await q.query(
      `CREATE POLICY seat_grants_own_delete ON seat_grants AS PERMISSIVE FOR DELETE TO clinic_app
         USING (user_id = app_user_id())`,
    );
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP POLICY check_in_shares_scope ON check_in_shares`);
    await q.query(
      `CREATE POLICY check_in_shares_scope ON check_in_shares AS PERMISSIVE FOR ALL TO clinic_app
         USING (app_platform_admin() OR tenant_id = app_tenant_id())
         WITH CHECK (app_platform_admin() OR (tenant_id = app_tenant_id() AND EXISTS (SELECT 1 FROM check_ins c WHERE c.id = check_in_id AND c.author_id = app_user_id())))`,
    );
    await q.query(`DROP FUNCTION app_authored_check_in(uuid)`);
    await q.query(`DROP POLICY seat_grants_own_delete ON seat_grants`);
    await q.query(`DROP POLICY seat_grants_own_select ON seat_grants`);
    await q.query(`ALTER TABLE check_ins DROP CONSTRAINT check_ins_tenant_id_fkey`);
    await q.query(
      `ALTER TABLE check_ins ADD CONSTRAINT check_ins_tenant_id_fkey
         FOREIGN KEY (tenant_id) REFERENCES tenants (id) ON DELETE CASCADE`,
    );
  }
}
