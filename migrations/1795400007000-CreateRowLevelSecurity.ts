import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Row-level security: the second wall behind the ability's SQL filters. Request
 * transactions run as `clinic_app` with the caller's identity in `app.*` settings
 * (src/database/request-context.ts); these policies mirror the data scope of
 * PRODUCT.md §2.3 and seed 003's tenancy rules, so a query that forgot its filter still
 * returns no row outside the caller's scope. The owner role (migrations, boot, CLI,
 * authentication lookups) is not subject to them.
 *
 * Feature levels (full/read/basic/none) stay in the application: RLS guards *which rows*,
 * not which features.
 */
const FUNCTIONS = `
  CREATE FUNCTION app_user_id() RETURNS uuid LANGUAGE sql STABLE
    AS $$ SELECT NULLIF(current_setting('app.user_id', true), '')::uuid $$;
  CREATE FUNCTION app_tenant_id() RETURNS uuid LANGUAGE sql STABLE
    AS $$ SELECT NULLIF(current_setting('app.tenant_id', true), '')::uuid $$;
  CREATE FUNCTION app_tenant_admin() RETURNS boolean LANGUAGE sql STABLE
    AS $$ SELECT COALESCE(current_setting('app.tenant_role', true), '') IN ('OWNER', 'ADMIN') $$;
  CREATE FUNCTION app_tenant_owner() RETURNS boolean LANGUAGE sql STABLE
    AS $$ SELECT COALESCE(current_setting('app.tenant_role', true), '') = 'OWNER' $$;
  CREATE FUNCTION app_clinic_ids() RETURNS uuid[] LANGUAGE sql STABLE
    AS $$ SELECT COALESCE(NULLIF(current_setting('app.clinic_ids', true), '')::uuid[], '{}') $$;
  CREATE FUNCTION app_platform_admin() RETURNS boolean LANGUAGE sql STABLE
    AS $$ SELECT COALESCE(current_setting('app.platform_admin', true), '') = 'on' $$;
  CREATE FUNCTION app_partner() RETURNS boolean LANGUAGE sql STABLE
    AS $$ SELECT COALESCE(current_setting('app.partner', true), '') = 'on' $$;
`;

/** Patients in scope: own, clinic, tenant (admins) for live callers; own test rows for partners. */
const PATIENT_SCOPE = `
  app_platform_admin()
  OR (app_partner() AND is_test AND owner_id = app_user_id())
  OR (NOT app_partner() AND NOT is_test AND (
        owner_id = app_user_id()
        OR (tenant_id = app_tenant_id() AND clinic_id = ANY (app_clinic_ids()))
        OR (tenant_id = app_tenant_id() AND app_tenant_admin())))`;

/** Everything recorded under a patient takes the patient's scope (D12): the EXISTS is itself filtered by the patients policy. */
const UNDER_PATIENT = `EXISTS (SELECT 1 FROM patients p WHERE p.id = patient_id)`;
const PATIENT_CHILDREN = [
  'patient_phase_transitions',
  'treatment_sessions',
  'vitals',
  'doses',
  'subjective_logs',
  'adverse_events',
  'interventions',
  'assessments',
];

const POLICIES: readonly (readonly [
  table: string,
  name: string,
  command: string,
  using: string | null,
  check: string | null,
])[] = [
  ['patients', 'patients_scope', 'ALL', PATIENT_SCOPE, PATIENT_SCOPE],
  ...PATIENT_CHILDREN.map(
    (t) => [t, `${t}_patient_scope`, 'ALL', UNDER_PATIENT, UNDER_PATIENT] as const,
  ),
  [
    'protocols',
    'protocols_scope',
    'ALL',
    `app_platform_admin() OR (app_partner() AND is_test AND owner_id = app_user_id())
     OR (NOT app_partner() AND NOT is_test AND (owner_id = app_user_id() OR tenant_id = app_tenant_id()))`,
    `app_platform_admin() OR (app_partner() AND is_test AND owner_id = app_user_id())
     OR (NOT app_partner() AND NOT is_test AND (owner_id = app_user_id() OR (tenant_id = app_tenant_id() AND app_tenant_admin())))`,
  ],
  ['tenants', 'tenants_select', 'SELECT', `app_platform_admin() OR id = app_tenant_id()`, null],
  ['tenants', 'tenants_insert', 'INSERT', null, `app_platform_admin()`],
  [
    'tenants',
    'tenants_update',
    'UPDATE',
    `app_platform_admin() OR (id = app_tenant_id() AND app_tenant_admin())`,
    `app_platform_admin() OR (id = app_tenant_id() AND app_tenant_admin())`,
  ],
  [
    'tenants',
    'tenants_delete',
    'DELETE',
    `app_platform_admin() OR (id = app_tenant_id() AND app_tenant_owner())`,
    null,
  ],
  [
    'clinics',
    'clinics_select',
    'SELECT',
    `app_platform_admin() OR tenant_id = app_tenant_id()`,
    null,
  ],
  [
    'clinics',
    'clinics_write',
    'INSERT',
    null,
    `app_platform_admin() OR (tenant_id = app_tenant_id() AND app_tenant_admin())`,
  ],
  [
    'clinics',
    'clinics_update',
    'UPDATE',
    `app_platform_admin() OR tenant_id = app_tenant_id()`,
    `app_platform_admin() OR tenant_id = app_tenant_id()`,
  ],
  [
    'clinics',
    'clinics_delete',
    'DELETE',
    `app_platform_admin() OR (tenant_id = app_tenant_id() AND app_tenant_admin())`,
    null,
  ],
  [
    'tenant_members',
    'tenant_members_select',
    'SELECT',
    `app_platform_admin() OR user_id = app_user_id() OR (tenant_id = app_tenant_id() AND app_tenant_admin())`,
    null,
  ],
  [
    'tenant_members',
    'tenant_members_insert',
    'INSERT',
    null,
    `app_platform_admin() OR (tenant_id = app_tenant_id() AND app_tenant_admin())`,
  ],
  [
    'tenant_members',
    'tenant_members_update',
    'UPDATE',
    `app_platform_admin()`,
    `app_platform_admin()`,
  ],
  [
    'tenant_members',
    'tenant_members_delete',
    'DELETE',
    `app_platform_admin() OR user_id = app_user_id() OR (tenant_id = app_tenant_id() AND app_tenant_admin())`,
    null,
  ],
  [
    'clinic_members',
    'clinic_members_scope',
    'ALL',
    `app_platform_admin() OR tenant_id = app_tenant_id()`,
    `app_platform_admin() OR tenant_id = app_tenant_id()`,
  ],
  [
    'seat_grants',
    'seat_grants_scope',
    'ALL',
    `app_platform_admin() OR (tenant_id = app_tenant_id() AND app_tenant_admin())`,
    `app_platform_admin() OR (tenant_id = app_tenant_id() AND app_tenant_admin())`,
  ],
  [
    'check_ins',
    'check_ins_select',
    'SELECT',
    // D11: private means private — only the author and the platform (whose reads are audited).
    `app_platform_admin() OR author_id = app_user_id()
     OR (NOT is_private AND tenant_id = app_tenant_id() AND (
           app_tenant_admin()
           OR EXISTS (SELECT 1 FROM check_in_shares s WHERE s.check_in_id = id AND s.clinic_id = ANY (app_clinic_ids()))))`,
    null,
  ],
  ['check_ins', 'check_ins_write', 'INSERT', null, `author_id = app_user_id()`],
  [
    'check_ins',
    'check_ins_update',
    'UPDATE',
    `app_platform_admin() OR author_id = app_user_id()`,
    `app_platform_admin() OR author_id = app_user_id()`,
  ],
  [
    'check_ins',
    'check_ins_delete',
    'DELETE',
    `app_platform_admin() OR author_id = app_user_id()`,
    null,
  ],
  [
    'check_in_shares',
    'check_in_shares_scope',
    'ALL',
    `app_platform_admin() OR tenant_id = app_tenant_id()`,
    `app_platform_admin() OR (tenant_id = app_tenant_id() AND EXISTS (SELECT 1 FROM check_ins c WHERE c.id = check_in_id AND c.author_id = app_user_id()))`,
  ],
  [
    'audit_log',
    'audit_log_select',
    'SELECT',
    `app_platform_admin() OR (tenant_id = app_tenant_id() AND app_tenant_admin())`,
    null,
  ],
  [
    'audit_log',
    'audit_log_insert',
    'INSERT',
    null,
    `app_platform_admin() OR actor_id = app_user_id()`,
  ],
  ['feature_flags', 'feature_flags_select', 'SELECT', `TRUE`, null],
  ['feature_flags', 'feature_flags_write', 'ALL', `app_platform_admin()`, `app_platform_admin()`],
];

export const RLS_TABLES = [...new Set(POLICIES.map(([table]) => table))];

export class CreateRowLevelSecurity1795400007000 implements MigrationInterface {
  name = 'CreateRowLevelSecurity1795400007000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(FUNCTIONS);
    for (const table of RLS_TABLES) await q.query(`ALTER TABLE ${table} ENABLE ROW LEVEL SECURITY`);
    for (const [table, name, command, using, check] of POLICIES) {
      await q.query(
        `CREATE POLICY ${name} ON ${table} AS PERMISSIVE FOR ${command} TO clinic_app` +
          (using ? ` USING (${using})` : '') +
          (check ? ` WITH CHECK (${check})` : ''),
      );
    }
  }

  public async down(q: QueryRunner): Promise<void> {
    for (const [table, name] of [...POLICIES].reverse())
      await q.query(`DROP POLICY ${name} ON ${table}`);
    for (const table of RLS_TABLES)
      await q.query(`ALTER TABLE ${table} DISABLE ROW LEVEL SECURITY`);
    for (const fn of [
      'app_user_id',
      'app_tenant_id',
      'app_tenant_admin',
      'app_tenant_owner',
      'app_clinic_ids',
      'app_platform_admin',
      'app_partner',
    ]) {
      await q.query(`DROP FUNCTION ${fn}()`);
    }
  }
}
