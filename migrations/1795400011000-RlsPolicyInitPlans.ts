import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Row-level security at the cost of one evaluation per statement instead of one per row.
 *
 * The policies call the context helpers (`app_user_id()`, `app_tenant_id()`, `app_clinic_ids()`,
 * …) directly. They are STABLE SQL functions, so PostgreSQL inlines them and evaluates
 * `current_setting(…)` plus its cast (text → uuid, text → uuid[]) for every row a scan
 * filters: the benchmarks (docs/benchmarks.md) measured a tenant's 1,000-row patient list at
 * several times the same statement without RLS. Written as a scalar subquery
 * `(SELECT app_user_id())`, each helper becomes an InitPlan, computed once per statement —
 * the same value, since the settings are transaction-local and cannot change during a
 * statement. Who sees which row is unchanged (test/e2e/rls.e2e-spec.ts runs every caller).
 *
 * Applied to every policy of the schema by rewriting its expressions in place (ALTER POLICY),
 * so the policy definitions of earlier migrations stay the single source of their logic.
 */
const HELPER = `app_(user_id|tenant_id|tenant_admin|tenant_owner|platform_admin|partner)\\(\\)`;
const CLINICS = `app_clinic_ids\\(\\)`;

async function rewrite(q: QueryRunner, from: string, to: string): Promise<void> {
  await q.query(`
    DO $$
    DECLARE
      pol record;
      clauses text;
    BEGIN
      FOR pol IN
        SELECT schemaname, tablename, policyname, qual, with_check
          FROM pg_policies
         WHERE schemaname = 'public'
           AND (qual ~ '${from}' OR with_check ~ '${from}')
      LOOP
        clauses := '';
        IF pol.qual IS NOT NULL THEN
          clauses := clauses || format(' USING (%s)', regexp_replace(pol.qual, '${from}', '${to}', 'g'));
        END IF;
        IF pol.with_check IS NOT NULL THEN
          clauses := clauses || format(' WITH CHECK (%s)', regexp_replace(pol.with_check, '${from}', '${to}', 'g'));
        END IF;
        EXECUTE format('ALTER POLICY %I ON %I.%I', pol.policyname, pol.schemaname, pol.tablename) || clauses;
      END LOOP;
    END $$`);
}

export class RlsPolicyInitPlans1795400011000 implements MigrationInterface {
  name = 'RlsPolicyInitPlans1795400011000';

  public async up(q: QueryRunner): Promise<void> {
    // `app_user_id()` → `(SELECT app_user_id())`. The array helper gets a cast so that
    // `= ANY (…)` keeps an array operand instead of becoming `= ANY (subquery)`.
    await rewrite(q, HELPER, `(SELECT app_\\1())`);
    await rewrite(q, CLINICS, `(SELECT app_clinic_ids())::uuid[]`);
  }

  public async down(q: QueryRunner): Promise<void> {
    // PostgreSQL stores the subquery as `( SELECT app_user_id() AS app_user_id)`.
    await rewrite(q, `\\( SELECT ${CLINICS} AS app_clinic_ids\\)::uuid\\[\\]`, `app_clinic_ids()`);
    await rewrite(q, `\\( SELECT ${HELPER} AS app_[a-z_]+\\)`, `app_\\1()`);
  }
}
