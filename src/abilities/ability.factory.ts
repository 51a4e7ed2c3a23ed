import {
  AbilityBuilder,
  createMongoAbility,
  type ForcedSubject,
  type MongoAbility,
  type MongoQuery,
} from '@casl/ability';
import type { Principal } from '../auth/principal';
import type { Action } from './actions';
import { FEATURE_MATRIX } from './feature-matrix';
import { FEATURES, UNSWITCHABLE_FEATURES, type Feature } from './features';
import type { Level } from './levels';
import { subjectsOfFeature, type SubjectType } from './subjects';
import { isTenantAdminRole } from './tenancy-roles';
import { isPartnerTier } from './tiers';

export type AppSubject = SubjectType | ForcedSubject<SubjectType> | 'all';
export type AppAbility = MongoAbility<[Action, AppSubject], MongoQuery>;
export type Conditions = MongoQuery;

export interface AbilityInput {
  readonly principal: Principal;
  /** Features switched off for this caller (D7), platform-wide or for their tenant. */
  readonly disabledFeatures: ReadonlySet<Feature>;
  readonly now: Date;
}

const CRUD: Action[] = ['read', 'create', 'update', 'delete'];

type RuleFn = (
  action: Action | Action[],
  subject: SubjectType | SubjectType[],
  conditions?: Conditions,
) => void;

/** CASL types conditions of string subjects as `MongoQuery<never>`; ours are plain queries. */
function ruleFns(builder: AbilityBuilder<AppAbility>): { can: RuleFn; cannot: RuleFn } {
  return {
    can: (action, subject, conditions) => void builder.can(action, subject, conditions as never),
    cannot: (action, subject, conditions) =>
      void builder.cannot(action, subject, conditions as never),
  };
}

export function isPlatformAdmin(principal: Principal): boolean {
  return principal.platformRole === 'PLATFORM_ADMIN';
}

/**
 * Time-boxed tiers (beta_observer): after `tierExpiresAt` the user can still log in and call
 * /me, but every feature answers 403 `role_expired`.
 */
export function isTierExpired(principal: Pick<Principal, 'tierExpiresAt'>, now: Date): boolean {
  return principal.tierExpiresAt !== null && principal.tierExpiresAt.getTime() <= now.getTime();
}

/**
 * The level a caller has for a feature, before scope: PLATFORM_ADMIN has every feature at
 * `full` (D8; its own branch, never inferred from tier `admin`, D2); an expired time-boxed
 * tier has none; a switched-off feature has none.
 */
export function effectiveLevel(input: AbilityInput, feature: Feature): Level {
  if (input.disabledFeatures.has(feature) && !UNSWITCHABLE_FEATURES.includes(feature))
    return 'none';
  if (isPlatformAdmin(input.principal)) return 'full';
  if (isTierExpired(input.principal, input.now)) return 'none';
  return FEATURE_MATRIX[feature][input.principal.tier];
}

/**
 * Data scope of patients (PRODUCT.md §2.3) as CASL conditions, one per alternative:
 * own, clinic, tenant — or, for partner tiers, only their own test rows. Live callers never
 * match a test row. `prefix` re-roots them for records under a patient (D12).
 */
export function patientScope(principal: Principal, level: Level, prefix = ''): Conditions[] {
  const f = (field: string): string => `${prefix}${field}`;
  if (isPartnerTier(principal.tier)) return [{ [f('ownerId')]: principal.id, [f('isTest')]: true }];
  const own: Conditions = { [f('ownerId')]: principal.id, [f('isTest')]: false };
  if (level === 'basic') return [own];
  const scopes: Conditions[] = [own];
  const clinicIds = principal.clinics.map((c) => c.id);
  if (principal.tenant && clinicIds.length > 0) {
    scopes.push({
      [f('tenantId')]: principal.tenant.id,
      [f('clinicId')]: { $in: clinicIds },
      [f('isTest')]: false,
    });
  }
  if (principal.tenant && isTenantAdminRole(principal.tenant.role)) {
    scopes.push({ [f('tenantId')]: principal.tenant.id, [f('isTest')]: false });
  }
  return scopes;
}

function actionsFor(level: Level): Action[] {
  switch (level) {
    case 'full':
    case 'basic':
      return CRUD;
    case 'read':
      return ['read'];
    case 'none':
      return [];
  }
}

/**
 * Builds the one CASL ability of a caller from the three axes. Rules state both the
 * feature level (which actions) and the data scope (conditions), so the same rules answer
 * "may this route run" (guard), "may this record be changed" (services) and "which rows"
 * (SQL filters, src/abilities/sql).
 */
export function buildAbility(input: AbilityInput): AppAbility {
  const builder = new AbilityBuilder<AppAbility>(createMongoAbility);
  const { principal } = input;
  if (isPlatformAdmin(principal)) {
    builder.can('manage', 'all');
    for (const feature of FEATURES) {
      if (effectiveLevel(input, feature) === 'none')
        builder.cannot('manage', subjectsOfFeature(feature));
    }
    return builder.build();
  }
  addTenancyRules(builder, principal);
  addClinicalRules(builder, input);
  return builder.build();
}

function addClinicalRules(builder: AbilityBuilder<AppAbility>, input: AbilityInput): void {
  const { can } = ruleFns(builder);
  const { principal } = input;
  const level = (feature: Feature): Level => effectiveLevel(input, feature);
  const journey = level('wellness_journey');

  for (const scope of patientScope(principal, journey)) can(actionsFor(journey), 'Patient', scope);
  // D12: records under a patient take the patient's scope, with their own feature's level.
  // A caller with no access to patients at all sees none of their records.
  if (journey !== 'none') {
    for (const scope of patientScope(principal, journey, 'patient.')) {
      can(actionsFor(level('session_vitals')), 'TreatmentSession', scope);
      can(actionsFor(level('baseline_assessments')), 'Assessment', scope);
    }
  }
  if (level('multi_patient_dashboard') !== 'none') can('read', 'Dashboard');
  if (level('data_export') !== 'none') can('read', 'Export');
  if (level('analytics') !== 'none') can('read', 'Analytics');
  if (level('benchmark_intel') !== 'none') can('read', 'BenchmarkCohort');

  const protocols = level('protocol_builder');
  if (protocols !== 'none') {
    if (isPartnerTier(principal.tier)) {
      can(actionsFor(protocols), 'Protocol', { ownerId: principal.id, isTest: true });
    } else {
      can(actionsFor(protocols), 'Protocol', { ownerId: principal.id, isTest: false });
      // A tenant shares its protocol library; its admins curate it.
      if (principal.tenant) {
        can('read', 'Protocol', { tenantId: principal.tenant.id, isTest: false });
        if (isTenantAdminRole(principal.tenant.role) && protocols === 'full') {
          can(['update', 'delete'], 'Protocol', { tenantId: principal.tenant.id, isTest: false });
        }
      }
    }
  }

  // D8: the admin panel needs the feature AND tenant OWNER/ADMIN (their tenant, read only);
  // platform-only subjects (Partner, TestData, FeatureFlag) get no rule here.
  if (
    level('admin_panel') !== 'none' &&
    principal.tenant &&
    isTenantAdminRole(principal.tenant.role)
  ) {
    can('read', 'AdminUser', { 'membership.tenantId': principal.tenant.id });
    can('read', 'AuditLog', { tenantId: principal.tenant.id });
  }
}

/** Seed 003's permission matrix (normative for tenancy, D8/D9), with API.md's refinements. */
function addTenancyRules(builder: AbilityBuilder<AppAbility>, principal: Principal): void {
  const { can } = ruleFns(builder);
  const me = principal.id;
  can(['create', 'read', 'update', 'delete'], 'CheckIn', { authorId: me });
  can('create', 'CheckInShare', { 'checkIn.authorId': me });
  can('delete', 'CheckInShare', { 'checkIn.authorId': me });
  const tenant = principal.tenant;
  if (!tenant) return;

  const T = tenant.id;
  const clinicIds = principal.clinics.map((c) => c.id);
  const adminClinicIds = principal.clinics.filter((c) => c.role === 'ADMIN').map((c) => c.id);

  can('read', 'Tenant', { id: T });
  can('read', 'Clinic', { tenantId: T });
  can('read', 'TenantMember', { tenantId: T, userId: me });
  can('delete', 'TenantMember', { tenantId: T, userId: me }); // leave the tenant
  if (clinicIds.length > 0) {
    can('read', 'ClinicMember', { tenantId: T, clinicId: { $in: clinicIds } });
    can('read', 'CheckIn', {
      tenantId: T,
      isPrivate: false,
      'shares.clinicId': { $in: clinicIds },
    });
    can('delete', 'ClinicMember', { tenantId: T, userId: me }); // leave a clinic
  }
  if (adminClinicIds.length > 0) {
    can('update', 'Clinic', { tenantId: T, id: { $in: adminClinicIds } });
    can(['create', 'delete'], 'ClinicMember', {
      tenantId: T,
      clinicId: { $in: adminClinicIds },
      role: 'MEMBER',
    });
  }
  if (isTenantAdminRole(tenant.role)) {
    can('update', 'Tenant', { id: T });
    builder.cannot('update', 'Tenant', 'seatLimit'); // seats are sold by the platform (API.md)
    if (tenant.role === 'OWNER') can('delete', 'Tenant', { id: T });
    can(['create', 'update', 'delete'], 'Clinic', { tenantId: T });
    can('read', 'TenantMember', { tenantId: T });
    // Promotion to (and removal of) OWNER/ADMIN is the platform's (seed 003: "Promote to
    // Facility Admin" is SuperUser only).
    can(['create', 'delete'], 'TenantMember', { tenantId: T, role: 'MEMBER' });
    can(['read', 'create', 'update', 'delete'], 'ClinicMember', { tenantId: T });
    can(['update', 'delete'], 'Seat', { tenantId: T });
    can('read', 'CheckIn', { tenantId: T, isPrivate: false });
    can('delete', 'CheckInShare', { tenantId: T });
  }
}
