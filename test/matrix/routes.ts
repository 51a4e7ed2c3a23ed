/**
 * The routes of API.md as data: method, path, which rule of the spec governs them, and which
 * record relations each is exercised with. Nothing here is copied from the implementation;
 * paths come from API.md (the suite checks them against GET /docs-json at run time).
 */
import type { Action, Feature, TenancyPermission } from './spec-tables';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/**
 * Relations between the caller and the target record. Positions are relative to the home
 * tenant T1 (clinics C1a = the clinic kinds' home clinic, C1b) and the other tenant T2 (C2a):
 *   own            — a live record the caller owns/authored (in its home clinic, else home tenant);
 *   sameClinic     — another user's live record in C1a;
 *   otherClinic    — another user's live record in C1b (same tenant, other clinic);
 *   sameTenant     — another user's live record in T1 with no clinic;
 *   otherTenant    — another user's live record in T2 (clinic C2a);
 *   solo           — a live record of a user with no tenant;
 *   ownTest        — the caller's own test record (partner tiers only: "where applicable");
 *   otherTest      — a test record owned by a partner of T1;
 *   homeTenant / homeClinic / otherClinic — for tenancy targets, the tenant T1 / clinic C1a / C1b;
 *   self           — the caller's own membership/user row;
 *   check-in positions: ownPrivate, ownPublic (not private, not shared), sameClinicShared,
 *   sameClinicPrivate, otherClinicShared, sameTenantPublic (not private, shared with no clinic),
 *   otherTenantShared, soloPublic;
 *   none           — the route names no record; invalidBody — same, with an unknown body field.
 */
export const RELATIONS = [
  'none',
  'invalidBody',
  'own',
  'sameClinic',
  'otherClinic',
  'sameTenant',
  'otherTenant',
  'solo',
  'ownTest',
  'otherTest',
  'homeTenant',
  'homeClinic',
  'self',
  'ownPrivate',
  'ownPublic',
  'sameClinicShared',
  'sameClinicPrivate',
  'sameClinicPublic',
  'otherClinicShared',
  'sameTenantPublic',
  'otherTenantShared',
  'soloPublic',
] as const;
export type Relation = (typeof RELATIONS)[number];

/** What the record a route names is, for the oracle's scope rules. */
export type FeatureScope = 'none' | 'patient' | 'protocol';
export type ListKind = 'patients' | 'protocols' | 'dashboard' | 'exportPatients';

export type Rule =
  /** `@AuthenticatedOnly()`-style routes: any valid token. */
  | { readonly kind: 'authenticated' }
  /** Clinical features: tier matrix × data scope (PRODUCT.md §2, API.md "Clinical features"). */
  | {
      readonly kind: 'feature';
      readonly feature: Feature;
      readonly action: Action;
      /** `dose-calculation` / `interaction-check`: stores nothing, allowed to `read` tiers. */
      readonly computation?: boolean;
      readonly scope: FeatureScope;
      readonly list?: ListKind;
      /** `includeTest=true`: PLATFORM_ADMIN only, anyone else 403 action_denied. */
      readonly includeTest?: boolean;
    }
  /** `/admin/*`: admin_panel AND (PLATFORM_ADMIN or tenant OWNER/ADMIN), D8. */
  | { readonly kind: 'admin'; readonly platformOnly: boolean; readonly scope: 'none' | 'user' }
  /** Tenancy routes (seed 003's matrix whatever the tier, D8). */
  | {
      readonly kind: 'tenancy';
      readonly target: 'none' | 'tenant' | 'clinic' | 'tenantMember' | 'clinicMember';
      /** Permission that makes the target visible (404 otherwise); null: no target. */
      readonly view: TenancyPermission | null;
      /** Permission needed for the action (403 action_denied; tenancy_denied when no target). */
      readonly need: TenancyPermission | null;
      readonly list?: 'tenants';
    }
  /** Check-ins (seed 003 + API.md "Check-ins" + D11; no tier feature). */
  | {
      readonly kind: 'checkin';
      readonly op:
        | 'create'
        | 'listOwn'
        | 'listClinic'
        | 'listTenant'
        | 'streak'
        | 'get'
        | 'update'
        | 'delete'
        | 'share'
        | 'unshare';
    };

export interface RouteSpec {
  /** Unique case key: method, API.md path and the variant. */
  readonly key: string;
  readonly method: HttpMethod;
  /** API.md path template with `:param`s. */
  readonly path: string;
  readonly query?: string;
  readonly rule: Rule;
  readonly relations: readonly Relation[];
  /** Answer when allowed (API.md "Success codes"). */
  readonly success: number;
  /** Changes state: run after every read-only case, each on a fresh target. */
  readonly mutating: boolean;
  /** Relations for which the case needs a caller of its own (it may lose its membership). */
  readonly cloneFor?: readonly Relation[];
}

const PATIENT_RELATIONS: readonly Relation[] = [
  'own',
  'sameClinic',
  'otherClinic',
  'sameTenant',
  'otherTenant',
  'solo',
  'ownTest',
  'otherTest',
];
const PROTOCOL_RELATIONS: readonly Relation[] = [
  'own',
  'sameTenant',
  'otherTenant',
  'ownTest',
  'otherTest',
];
const TENANT_RELATIONS: readonly Relation[] = ['homeTenant', 'otherTenant'];
const CLINIC_RELATIONS: readonly Relation[] = ['homeClinic', 'otherClinic', 'otherTenant'];
const CHECKIN_READ_RELATIONS: readonly Relation[] = [
  'ownPrivate',
  'ownPublic',
  'sameClinicShared',
  'sameClinicPrivate',
  'otherClinicShared',
  'sameTenantPublic',
  'otherTenantShared',
  'soloPublic',
];
const USER_RELATIONS: readonly Relation[] = [
  'self',
  'sameClinic',
  'otherClinic',
  'sameTenant',
  'otherTenant',
  'solo',
];

function r(
  method: HttpMethod,
  path: string,
  rule: Rule,
  relations: readonly Relation[],
  success: number,
  extra: { query?: string; variant?: string; cloneFor?: readonly Relation[] } = {},
): RouteSpec {
  const mutating = method !== 'GET' && !(rule.kind === 'feature' && rule.computation === true);
  const key = `${method} ${path}${extra.query ? `?${extra.query}` : ''}${extra.variant ? ` [${extra.variant}]` : ''}`;
  return {
    key,
    method,
    path,
    query: extra.query,
    rule,
    relations,
    success,
    mutating,
    cloneFor: extra.cloneFor,
  };
}

const feature = (
  f: Feature,
  action: Action,
  scope: FeatureScope,
  more: { computation?: boolean; list?: ListKind; includeTest?: boolean } = {},
): Rule => ({ kind: 'feature', feature: f, action, scope, ...more });
const tenancy = (
  target: 'none' | 'tenant' | 'clinic' | 'tenantMember' | 'clinicMember',
  view: TenancyPermission | null,
  need: TenancyPermission | null,
  list?: 'tenants',
): Rule => ({ kind: 'tenancy', target, view, need, list });
const checkin = (
  op:
    | 'create'
    | 'listOwn'
    | 'listClinic'
    | 'listTenant'
    | 'streak'
    | 'get'
    | 'update'
    | 'delete'
    | 'share'
    | 'unshare',
): Rule => ({ kind: 'checkin', op });
const admin = (platformOnly: boolean, scope: 'none' | 'user' = 'none'): Rule => ({
  kind: 'admin',
  platformOnly,
  scope,
});

/** Tenancy and check-in routes (API.md "Tenancy" and "Check-ins"). */
export const TENANCY_ROUTES: readonly RouteSpec[] = [
  r('GET', '/me', { kind: 'authenticated' }, ['none'], 200),
  r('POST', '/tenants', tenancy('none', null, 'tenant.create'), ['none', 'invalidBody'], 201),
  r('GET', '/tenants', tenancy('none', null, null, 'tenants'), TENANT_RELATIONS, 200),
  r('GET', '/tenants/:id', tenancy('tenant', 'tenant.view', null), TENANT_RELATIONS, 200),
  r(
    'PATCH',
    '/tenants/:id',
    tenancy('tenant', 'tenant.view', 'tenant.update'),
    TENANT_RELATIONS,
    200,
    { variant: 'name' },
  ),
  r(
    'PATCH',
    '/tenants/:id',
    tenancy('tenant', 'tenant.view', 'tenant.updateSeatLimit'),
    TENANT_RELATIONS,
    200,
    {
      variant: 'seatLimit',
    },
  ),
  r(
    'DELETE',
    '/tenants/:id',
    tenancy('tenant', 'tenant.view', 'tenant.delete'),
    TENANT_RELATIONS,
    204,
    {
      cloneFor: ['homeTenant'],
    },
  ),
  r('GET', '/tenants/:id/members', tenancy('tenant', 'tenant.view', null), TENANT_RELATIONS, 200),
  r(
    'POST',
    '/tenants/:id/members',
    tenancy('tenant', 'tenant.view', 'tenant.members.invite'),
    TENANT_RELATIONS,
    201,
    {
      variant: 'MEMBER',
    },
  ),
  r(
    'POST',
    '/tenants/:id/members',
    tenancy('tenant', 'tenant.view', 'tenant.members.inviteAdmin'),
    TENANT_RELATIONS,
    201,
    {
      variant: 'ADMIN',
    },
  ),
  r(
    'PATCH',
    '/tenants/:id/members/:userId',
    tenancy('tenantMember', 'tenant.view', 'tenant.members.promote'),
    ['self', 'homeTenant', 'otherTenant'],
    200,
    { cloneFor: ['self'] },
  ),
  r(
    'DELETE',
    '/tenants/:id/members/:userId',
    tenancy('tenantMember', 'tenant.view', 'tenant.members.remove'),
    ['self', 'homeTenant', 'otherTenant'],
    204,
    { cloneFor: ['self'] },
  ),
  r(
    'PUT',
    '/tenants/:id/seats/:userId',
    tenancy('tenantMember', 'tenant.view', 'tenant.seats.manage'),
    ['self', 'homeTenant', 'otherTenant'],
    200,
    {
      cloneFor: ['self'],
    },
  ),
  r(
    'DELETE',
    '/tenants/:id/seats/:userId',
    tenancy('tenantMember', 'tenant.view', 'tenant.seats.manage'),
    ['self', 'homeTenant', 'otherTenant'],
    204,
    { cloneFor: ['self'] },
  ),
  r(
    'POST',
    '/tenants/:id/clinics',
    tenancy('tenant', 'tenant.view', 'clinic.create'),
    TENANT_RELATIONS,
    201,
  ),
  r('GET', '/tenants/:id/clinics', tenancy('tenant', 'tenant.view', null), TENANT_RELATIONS, 200),
  r('GET', '/clinics/:id', tenancy('clinic', 'clinic.view', null), CLINIC_RELATIONS, 200),
  r(
    'PATCH',
    '/clinics/:id',
    tenancy('clinic', 'clinic.view', 'clinic.update'),
    CLINIC_RELATIONS,
    200,
  ),
  r(
    'DELETE',
    '/clinics/:id',
    tenancy('clinic', 'clinic.view', 'clinic.delete'),
    CLINIC_RELATIONS,
    204,
    {
      cloneFor: ['homeClinic'],
    },
  ),
  r(
    'GET',
    '/clinics/:id/members',
    tenancy('clinic', 'clinic.view', 'clinic.members.list'),
    CLINIC_RELATIONS,
    200,
  ),
  r(
    'POST',
    '/clinics/:id/members',
    tenancy('clinic', 'clinic.view', 'clinic.members.add'),
    CLINIC_RELATIONS,
    201,
    {
      variant: 'MEMBER',
    },
  ),
  r(
    'POST',
    '/clinics/:id/members',
    tenancy('clinic', 'clinic.view', 'clinic.members.addAdmin'),
    CLINIC_RELATIONS,
    201,
    {
      variant: 'ADMIN',
    },
  ),
  r(
    'PATCH',
    '/clinics/:id/members/:userId',
    tenancy('clinicMember', 'clinic.view', 'clinic.members.promote'),
    ['self', 'homeClinic', 'otherClinic', 'otherTenant'],
    200,
    { cloneFor: ['self'] },
  ),
  r(
    'DELETE',
    '/clinics/:id/members/:userId',
    tenancy('clinicMember', 'clinic.view', 'clinic.members.remove'),
    ['self', 'homeClinic', 'otherClinic', 'otherTenant'],
    204,
    { cloneFor: ['self'] },
  ),
  // Check-ins
  r('POST', '/check-ins', checkin('create'), ['none', 'invalidBody'], 201),
  r('GET', '/check-ins', checkin('listOwn'), CHECKIN_READ_RELATIONS, 200),
  r('GET', '/check-ins', checkin('listClinic'), CHECKIN_READ_RELATIONS, 200, {
    query: 'scope=clinic',
  }),
  r('GET', '/check-ins', checkin('listTenant'), CHECKIN_READ_RELATIONS, 200, {
    query: 'scope=tenant',
  }),
  r('GET', '/check-ins/streak', checkin('streak'), ['none'], 200),
  r('GET', '/check-ins/:id', checkin('get'), CHECKIN_READ_RELATIONS, 200),
  r('PATCH', '/check-ins/:id', checkin('update'), CHECKIN_READ_RELATIONS, 200),
  r('DELETE', '/check-ins/:id', checkin('delete'), CHECKIN_READ_RELATIONS, 204),
  r(
    'POST',
    '/check-ins/:id/shares',
    checkin('share'),
    ['ownPublic', 'ownPrivate', 'sameClinicPublic', 'otherClinicShared'],
    201,
  ),
  r(
    'DELETE',
    '/check-ins/:id/shares/:clinicId',
    checkin('unshare'),
    ['own', 'sameClinicShared', 'otherClinicShared', 'otherTenantShared'],
    204,
  ),
];

/** Clinical routes (API.md "Clinical features") and the admin panel. */
export const CLINICAL_ROUTES: readonly RouteSpec[] = [
  // wellness_journey
  r(
    'POST',
    '/patients',
    feature('wellness_journey', 'create', 'none'),
    ['none', 'invalidBody'],
    201,
  ),
  r(
    'GET',
    '/patients',
    feature('wellness_journey', 'read', 'none', { list: 'patients' }),
    PATIENT_RELATIONS,
    200,
  ),
  r(
    'GET',
    '/patients',
    feature('wellness_journey', 'read', 'none', { list: 'patients', includeTest: true }),
    PATIENT_RELATIONS,
    200,
    {
      query: 'includeTest=true',
    },
  ),
  r('GET', '/patients/:id', feature('wellness_journey', 'read', 'patient'), PATIENT_RELATIONS, 200),
  r(
    'PATCH',
    '/patients/:id',
    feature('wellness_journey', 'update', 'patient'),
    PATIENT_RELATIONS,
    200,
  ),
  r(
    'DELETE',
    '/patients/:id',
    feature('wellness_journey', 'delete', 'patient'),
    PATIENT_RELATIONS,
    204,
  ),
  r(
    'POST',
    '/patients/:id/phase',
    feature('wellness_journey', 'update', 'patient'),
    PATIENT_RELATIONS,
    200,
  ),
  // session_vitals (D12: the patient's scope)
  r(
    'POST',
    '/sessions',
    feature('session_vitals', 'create', 'patient'),
    [...PATIENT_RELATIONS, 'invalidBody'],
    201,
  ),
  r('GET', '/sessions', feature('session_vitals', 'read', 'patient'), PATIENT_RELATIONS, 200, {
    query: 'patientId=:patientId',
  }),
  r('GET', '/sessions/:id', feature('session_vitals', 'read', 'patient'), PATIENT_RELATIONS, 200),
  r(
    'PATCH',
    '/sessions/:id',
    feature('session_vitals', 'update', 'patient'),
    PATIENT_RELATIONS,
    200,
  ),
  r(
    'POST',
    '/sessions/:id/vitals',
    feature('session_vitals', 'create', 'patient'),
    PATIENT_RELATIONS,
    201,
  ),
  r(
    'GET',
    '/sessions/:id/vitals',
    feature('session_vitals', 'read', 'patient'),
    PATIENT_RELATIONS,
    200,
  ),
  r(
    'POST',
    '/sessions/:id/doses',
    feature('session_vitals', 'create', 'patient'),
    PATIENT_RELATIONS,
    201,
  ),
  r(
    'POST',
    '/sessions/:id/subjective-logs',
    feature('session_vitals', 'create', 'patient'),
    PATIENT_RELATIONS,
    201,
  ),
  r(
    'POST',
    '/sessions/:id/adverse-events',
    feature('session_vitals', 'create', 'patient'),
    PATIENT_RELATIONS,
    201,
  ),
  r(
    'POST',
    '/sessions/:id/adverse-events/:eventId/interventions',
    feature('session_vitals', 'create', 'patient'),
    PATIENT_RELATIONS,
    201,
  ),
  // baseline_assessments
  r(
    'POST',
    '/assessments',
    feature('baseline_assessments', 'create', 'patient'),
    [...PATIENT_RELATIONS, 'invalidBody'],
    201,
  ),
  r(
    'GET',
    '/assessments',
    feature('baseline_assessments', 'read', 'patient'),
    PATIENT_RELATIONS,
    200,
    {
      query: 'patientId=:patientId',
    },
  ),
  // multi_patient_dashboard
  r(
    'GET',
    '/dashboard',
    feature('multi_patient_dashboard', 'read', 'none', { list: 'dashboard' }),
    PATIENT_RELATIONS,
    200,
  ),
  // protocol_builder
  r(
    'POST',
    '/protocols',
    feature('protocol_builder', 'create', 'none'),
    ['none', 'invalidBody'],
    201,
  ),
  r(
    'GET',
    '/protocols',
    feature('protocol_builder', 'read', 'none', { list: 'protocols' }),
    PROTOCOL_RELATIONS,
    200,
  ),
  r(
    'GET',
    '/protocols/:id',
    feature('protocol_builder', 'read', 'protocol'),
    PROTOCOL_RELATIONS,
    200,
  ),
  r(
    'PATCH',
    '/protocols/:id',
    feature('protocol_builder', 'update', 'protocol'),
    PROTOCOL_RELATIONS,
    200,
  ),
  r(
    'DELETE',
    '/protocols/:id',
    feature('protocol_builder', 'delete', 'protocol'),
    PROTOCOL_RELATIONS,
    204,
  ),
  r(
    'POST',
    '/protocols/dose-calculation',
    feature('protocol_builder', 'read', 'none', { computation: true }),
    ['none', 'invalidBody'],
    200,
  ),
  r(
    'POST',
    '/protocols/interaction-check',
    feature('protocol_builder', 'read', 'none', { computation: true }),
    ['none', 'invalidBody'],
    200,
  ),
  r(
    'POST',
    '/protocols/interaction-check',
    feature('protocol_builder', 'read', 'patient', { computation: true }),
    PATIENT_RELATIONS,
    200,
    { variant: 'patientId' },
  ),
  // data_export, analytics, benchmark_intel
  r(
    'GET',
    '/dashboard',
    feature('multi_patient_dashboard', 'read', 'none', { list: 'dashboard', includeTest: true }),
    PATIENT_RELATIONS,
    200,
    { query: 'includeTest=true' },
  ),
  r(
    'GET',
    '/exports/patients.csv',
    feature('data_export', 'read', 'none', { list: 'exportPatients', includeTest: true }),
    PATIENT_RELATIONS,
    200,
    { query: 'includeTest=true' },
  ),
  r(
    'GET',
    '/exports/patients.csv',
    feature('data_export', 'read', 'none', { list: 'exportPatients' }),
    PATIENT_RELATIONS,
    200,
  ),
  r('GET', '/exports/vitals.csv', feature('data_export', 'read', 'none'), ['none'], 200),
  r('GET', '/exports/assessments.csv', feature('data_export', 'read', 'none'), ['none'], 200),
  r('GET', '/analytics/outcomes', feature('analytics', 'read', 'none'), ['none'], 200),
  r('GET', '/benchmarks/cohorts', feature('benchmark_intel', 'read', 'none'), ['none'], 200),
  // admin_panel
  r('GET', '/admin/users', admin(false), ['none'], 200),
  r('GET', '/admin/users/:id', admin(false, 'user'), USER_RELATIONS, 200),
  r('POST', '/admin/users', admin(true), ['none', 'invalidBody'], 201),
  r(
    'PATCH',
    '/admin/users/:id',
    admin(true, 'user'),
    USER_RELATIONS.filter((x) => x !== 'self'),
    200,
  ),
  r('POST', '/admin/partners', admin(true), ['none'], 201),
  r('POST', '/admin/test-data/scrub', admin(true), ['none'], 200),
  r('GET', '/admin/audit-log', admin(false), ['none'], 200),
  r('GET', '/admin/feature-flags', admin(true), ['none'], 200),
  r('PUT', '/admin/feature-flags/:feature', admin(true), ['none'], 200),
];

export const ALL_ROUTES: readonly RouteSpec[] = [...TENANCY_ROUTES, ...CLINICAL_ROUTES];
