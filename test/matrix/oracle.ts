/**
 * Test oracle for the authorization matrix: what the spec says a caller gets for a route and a
 * record relation. Written ONLY from /work/shared/spec (API.md, PRODUCT.md, feature-matrix.csv)
 * and seed 003's Permission Matrix; it never imports application code.
 *
 * Order of checks (API.md "Conventions"):
 *   401 (token) → 403 feature/tier, in the order feature_disabled, role_expired, feature_denied,
 *   tenancy_denied → 400 (body/params) → 404 (record outside the caller's scope)
 *   → 403 action_denied (a record the caller can read but may not change) → 409 → success.
 *
 * Readings of points the spec leaves open are marked "READING:"; where two answers are equally
 * defensible the outcome lists the other one in `alternatives` (reported, not failed).
 */
import type { ListKind, Relation, RouteSpec } from './routes';
import {
  type Action,
  type Caller,
  type ClinicRef,
  type Feature,
  FEATURE_MATRIX,
  type Grant,
  KIND_COLUMNS,
  type Level,
  PARTNER_TIERS,
  PLACEMENT,
  TENANCY_MATRIX,
  type TenancyPermission,
  type TenantRef,
  TIME_BOXED_TIERS,
} from './spec-tables';

export type ErrorCode =
  | 'unauthenticated'
  | 'feature_disabled'
  | 'role_expired'
  | 'feature_denied'
  | 'tenancy_denied'
  | 'action_denied'
  | 'validation_failed'
  | 'not_found'
  | 'conflict';

export interface Outcome {
  readonly status: number;
  readonly code?: ErrorCode;
  /** For list routes: whether the relation's record appears in the caller's list. */
  readonly listed?: boolean;
  /** Other answers an equally valid reading of the spec gives (see the READING notes). */
  readonly alternatives?: readonly Outcome[];
  readonly note?: string;
}

const ok = (status: number, listed?: boolean): Outcome =>
  listed === undefined ? { status } : { status, listed };
const deny = (code: ErrorCode, extra: Partial<Outcome> = {}): Outcome => ({
  status: 403,
  code,
  ...extra,
});
const NOT_FOUND: Outcome = { status: 404, code: 'not_found' };
const INVALID: Outcome = { status: 400, code: 'validation_failed' };
const UNAUTHENTICATED: Outcome = { status: 401, code: 'unauthenticated' };

// ---------------------------------------------------------------------------------------------
// The caller's position

export function isPlatformAdmin(caller: Caller): boolean {
  return PLACEMENT[caller.kind].platformAdmin;
}
function homeTenant(caller: Caller): TenantRef | null {
  return PLACEMENT[caller.kind].tenant?.ref ?? null;
}
function tenantRole(caller: Caller): 'OWNER' | 'ADMIN' | 'MEMBER' | null {
  return PLACEMENT[caller.kind].tenant?.role ?? null;
}
function isTenantAdmin(caller: Caller): boolean {
  const role = tenantRole(caller);
  return role === 'OWNER' || role === 'ADMIN';
}
function clinicsOf(caller: Caller, role?: 'ADMIN'): readonly ClinicRef[] {
  return PLACEMENT[caller.kind].clinics.filter((c) => !role || c.role === role).map((c) => c.ref);
}
function homeClinic(caller: Caller): ClinicRef | null {
  return clinicsOf(caller)[0] ?? null;
}
export function isPartnerTier(caller: Caller): boolean {
  return PARTNER_TIERS.includes(caller.tier);
}

/**
 * PRODUCT.md §2.1/D8: the feature level. PLATFORM_ADMIN has every feature at `full`.
 * READING: that holds whatever tier the PLATFORM_ADMIN sits on (the issue crosses it with all).
 */
export function levelOf(caller: Caller, feature: Feature): Level {
  return isPlatformAdmin(caller) ? 'full' : FEATURE_MATRIX[feature][caller.tier];
}

// ---------------------------------------------------------------------------------------------
// Abstract records for each relation

export interface ClinicalRecord {
  readonly owner: 'self' | 'other';
  readonly tenant: TenantRef | null;
  readonly clinic: ClinicRef | null;
  readonly isTest: boolean;
}

/** The patient (or protocol) a relation designates for this caller; null when not applicable. */
export function clinicalRecord(caller: Caller, relation: Relation): ClinicalRecord | null {
  switch (relation) {
    case 'own':
      return {
        owner: 'self',
        tenant: homeTenant(caller),
        clinic: homeClinic(caller),
        isTest: false,
      };
    case 'sameClinic':
      return { owner: 'other', tenant: 'T1', clinic: 'C1a', isTest: false };
    case 'otherClinic':
      return { owner: 'other', tenant: 'T1', clinic: 'C1b', isTest: false };
    case 'sameTenant':
      return { owner: 'other', tenant: 'T1', clinic: null, isTest: false };
    case 'otherTenant':
      return { owner: 'other', tenant: 'T2', clinic: 'C2a', isTest: false };
    case 'solo':
      return { owner: 'other', tenant: null, clinic: null, isTest: false };
    // A test patient never has a clinic (PRODUCT.md §2.3: "never a live patient, even one in
    // their own tenant or clinic"; test rows stay out of clinics' shared data).
    case 'ownTest':
      return isPartnerTier(caller)
        ? { owner: 'self', tenant: homeTenant(caller), clinic: null, isTest: true }
        : null;
    case 'otherTest':
      return { owner: 'other', tenant: 'T1', clinic: null, isTest: true };
    default:
      return null;
  }
}

export interface CheckInRecord {
  readonly author: 'self' | 'other';
  readonly tenant: TenantRef | null;
  readonly isPrivate: boolean;
  readonly sharedWith: readonly ClinicRef[];
}

export function checkInRecord(caller: Caller, relation: Relation): CheckInRecord | null {
  const home = homeTenant(caller);
  switch (relation) {
    case 'ownPrivate':
      return { author: 'self', tenant: home, isPrivate: true, sharedWith: [] };
    case 'ownPublic':
      return { author: 'self', tenant: home, isPrivate: false, sharedWith: [] };
    // Own check-in shared with the home clinic: only for callers who belong to it.
    case 'own':
      return homeClinic(caller)
        ? { author: 'self', tenant: home, isPrivate: false, sharedWith: ['C1a'] }
        : null;
    case 'sameClinicShared':
      return { author: 'other', tenant: 'T1', isPrivate: false, sharedWith: ['C1a'] };
    case 'sameClinicPrivate':
      return { author: 'other', tenant: 'T1', isPrivate: true, sharedWith: [] };
    case 'sameClinicPublic':
      return { author: 'other', tenant: 'T1', isPrivate: false, sharedWith: [] };
    case 'otherClinicShared':
      return { author: 'other', tenant: 'T1', isPrivate: false, sharedWith: ['C1b'] };
    case 'sameTenantPublic':
      return { author: 'other', tenant: 'T1', isPrivate: false, sharedWith: [] };
    case 'otherTenantShared':
      return { author: 'other', tenant: 'T2', isPrivate: false, sharedWith: ['C2a'] };
    case 'soloPublic':
      return { author: 'other', tenant: null, isPrivate: false, sharedWith: [] };
    default:
      return null;
  }
}

/** The target of a tenancy route: a tenant, a clinic, or a member (tenant and maybe clinic). */
export interface TenancyTarget {
  readonly tenant: TenantRef;
  readonly clinic: ClinicRef | null;
  /** The target user is the caller. */
  readonly self: boolean;
}

export function tenancyTarget(
  caller: Caller,
  route: RouteSpec,
  relation: Relation,
): TenancyTarget | null {
  if (route.rule.kind !== 'tenancy') return null;
  const target = route.rule.target;
  const home = homeTenant(caller);
  if (
    target === 'tenant' ||
    target === 'tenantMember' ||
    (target === 'none' && route.rule.list === 'tenants')
  ) {
    if (relation === 'homeTenant') return { tenant: 'T1', clinic: null, self: false };
    if (relation === 'otherTenant') return { tenant: 'T2', clinic: null, self: false };
    if (relation === 'self') return home ? { tenant: home, clinic: null, self: true } : null;
    return null;
  }
  if (target === 'clinic' || target === 'clinicMember') {
    if (relation === 'homeClinic') return { tenant: 'T1', clinic: 'C1a', self: false };
    if (relation === 'otherClinic') return { tenant: 'T1', clinic: 'C1b', self: false };
    if (relation === 'otherTenant') return { tenant: 'T2', clinic: 'C2a', self: false };
    if (relation === 'self') {
      const clinic = homeClinic(caller);
      return home && clinic ? { tenant: home, clinic, self: true } : null;
    }
    return null;
  }
  return null;
}

/** The user an /admin/users/:id case targets. */
export interface UserRecord {
  readonly self: boolean;
  readonly tenant: TenantRef | null;
}
export function userRecord(caller: Caller, relation: Relation): UserRecord | null {
  switch (relation) {
    case 'self':
      return { self: true, tenant: homeTenant(caller) };
    case 'sameClinic':
    case 'otherClinic':
    case 'sameTenant':
      return { self: false, tenant: 'T1' };
    case 'otherTenant':
      return { self: false, tenant: 'T2' };
    case 'solo':
      return { self: false, tenant: null };
    default:
      return null;
  }
}

/** Whether a (route, caller, relation) triple is a case at all ("where applicable"). */
export function isApplicable(caller: Caller | null, route: RouteSpec, relation: Relation): boolean {
  if (!caller) return true;
  const rule = route.rule;
  if (relation === 'none' || relation === 'invalidBody') return true;
  switch (rule.kind) {
    case 'authenticated':
      return true;
    case 'feature':
      return clinicalRecord(caller, relation) !== null;
    case 'admin':
      return userRecord(caller, relation) !== null;
    case 'tenancy':
      return tenancyTarget(caller, route, relation) !== null;
    case 'checkin':
      if (rule.op === 'share' && relation === 'ownPrivate') return homeClinic(caller) !== null;
      // READING: a PLATFORM_ADMIN's own check-in has no tenant; sharing it into a tenant's clinic
      // is not a case the spec describes.
      if (rule.op === 'share' && relation === 'ownPublic') return !isPlatformAdmin(caller);
      return checkInRecord(caller, relation) !== null;
  }
}

// ---------------------------------------------------------------------------------------------
// Data scope (PRODUCT.md §2.3, D4, D11, D12)

/**
 * Whether a clinical record is in the caller's scope.
 * - PLATFORM_ADMIN: everything (lists hide test rows unless includeTest=true).
 * - partner overlay: only its own test rows, never a live one (even its own or its clinic's).
 * - live callers never see a test row.
 *   READING: applies to single records too ("A test record is visible only to its owner (a
 *   partner tier) and to PLATFORM_ADMIN").
 * - D4 `basic` Wellness Journey: own patients only. READING (D12): records under a patient take
 *   that patient's scope, so a `basic` tier sees sessions/assessments of its own patients only.
 * - otherwise own, records of the caller's clinics, and the whole tenant for OWNER/ADMIN.
 *   READING: protocols (no clinic column) follow the same rules: own, plus the tenant's for
 *   tenant OWNER/ADMIN.
 */
export function inClinicalScope(
  caller: Caller,
  record: ClinicalRecord,
  opts: { list?: boolean; includeTest?: boolean } = {},
): boolean {
  if (isPlatformAdmin(caller)) return !record.isTest || !opts.list || opts.includeTest === true;
  if (isPartnerTier(caller)) return record.isTest && record.owner === 'self';
  if (record.isTest) return false;
  if (record.owner === 'self') return true;
  if (levelOf(caller, 'wellness_journey') === 'basic') return false;
  if (record.clinic && clinicsOf(caller).includes(record.clinic)) return true;
  return isTenantAdmin(caller) && record.tenant !== null && record.tenant === homeTenant(caller);
}

function grantHolds(
  caller: Caller,
  grant: Grant,
  target: {
    tenant?: TenantRef | null;
    clinic?: ClinicRef | null;
    self?: boolean;
    author?: boolean;
  },
): boolean {
  switch (grant) {
    case 'any':
      return true;
    case 'ownTenant':
      return target.tenant != null && target.tenant === homeTenant(caller);
    case 'adminClinic':
      return target.clinic != null && clinicsOf(caller, 'ADMIN').includes(target.clinic);
    case 'inClinic':
      return target.clinic != null && clinicsOf(caller).includes(target.clinic);
    case 'self':
      return target.self === true;
    case 'author':
      return target.author === true;
  }
}

/** Seed 003's matrix: does any column the caller occupies grant `permission` on the target? */
export function granted(
  caller: Caller,
  permission: TenancyPermission,
  target: {
    tenant?: TenantRef | null;
    clinic?: ClinicRef | null;
    self?: boolean;
    author?: boolean;
  },
): boolean {
  const row = TENANCY_MATRIX[permission];
  for (const column of [...KIND_COLUMNS[caller.kind], 'Everyone' as const]) {
    for (const grant of row[column] ?? []) if (grantHolds(caller, grant, target)) return true;
  }
  return false;
}

/**
 * D11 + API.md "Check-ins": private → author and PLATFORM_ADMIN only; shared → members of the
 * clinics it is shared with and the tenant's OWNER/ADMIN.
 * READING: a non-private check-in shared with no clinic is visible to the tenant's OWNER/ADMIN
 * (seed 003: "Facility Admins can see all check-ins in their tenant", minus D11's private ones);
 * the stricter reading (author only) is listed as an alternative.
 */
export function checkInVisible(
  caller: Caller,
  ci: CheckInRecord,
): { visible: boolean; ambiguous: boolean } {
  if (isPlatformAdmin(caller) || ci.author === 'self') return { visible: true, ambiguous: false };
  if (ci.isPrivate) return { visible: false, ambiguous: false };
  if (ci.sharedWith.some((c) => clinicsOf(caller).includes(c)))
    return { visible: true, ambiguous: false };
  if (isTenantAdmin(caller) && ci.tenant !== null && ci.tenant === homeTenant(caller)) {
    return { visible: true, ambiguous: ci.sharedWith.length === 0 };
  }
  return { visible: false, ambiguous: false };
}

// ---------------------------------------------------------------------------------------------
// Guards

/** The feature/tier guard (API.md: feature_disabled, role_expired, feature_denied). */
function featureGuard(
  caller: Caller,
  feature: Feature,
  action: Action,
  computation: boolean,
): Outcome | null {
  // feature_disabled: the suite switches no feature off for the callers' tenants.
  if (isPlatformAdmin(caller)) return null;
  // READING: role_expired answers for every feature of an expired time-boxed tier, even one
  // its matrix row says `none` (PRODUCT.md §4: "every feature answers 403 role_expired").
  if (caller.expired && TIME_BOXED_TIERS.includes(caller.tier)) return deny('role_expired');
  const level = levelOf(caller, feature);
  if (level === 'none') return deny('feature_denied');
  if (level === 'read' && action !== 'read' && !computation) return deny('feature_denied');
  return null;
}

/** A live protocol of another member of the caller's tenant, seen by a live non-admin member. */
function protocolSharedInTenant(caller: Caller, record: ClinicalRecord): boolean {
  return (
    !isPartnerTier(caller) &&
    !record.isTest &&
    record.tenant !== null &&
    record.tenant === homeTenant(caller) &&
    !isTenantAdmin(caller)
  );
}

function listedIn(
  caller: Caller,
  list: ListKind,
  record: ClinicalRecord | null,
  includeTest: boolean,
): Outcome['listed'] {
  if (!record) return undefined;
  return inClinicalScope(caller, record, { list: true, includeTest });
}

function featureOutcome(caller: Caller, route: RouteSpec, relation: Relation): Outcome {
  const rule = route.rule;
  if (rule.kind !== 'feature') throw new Error('not a feature route');
  const guard = featureGuard(caller, rule.feature, rule.action, rule.computation === true);
  if (guard) return guard;
  // API.md: includeTest=true is PLATFORM_ADMIN's; "anyone else gets 403 action_denied".
  if (rule.includeTest && !isPlatformAdmin(caller)) return deny('action_denied');
  if (relation === 'invalidBody') return INVALID;
  const record = clinicalRecord(caller, relation);
  if (rule.list) {
    const listed = listedIn(caller, rule.list, record, rule.includeTest === true);
    if (rule.list === 'protocols' && record && !listed && protocolSharedInTenant(caller, record)) {
      return {
        status: route.success,
        listed: false,
        alternatives: [{ status: route.success, listed: true }],
      };
    }
    return ok(route.success, listed);
  }
  if (rule.scope !== 'none' && record && !inClinicalScope(caller, record)) {
    if (rule.scope === 'protocol' && protocolSharedInTenant(caller, record)) {
      // READING (protocols): §2.3's data scope is written for patients; a protocol is a
      // template with no clinic. Sharing a tenant's protocols read-only with its members
      // (changes 403 action_denied) is the other reading, accepted.
      return {
        ...NOT_FOUND,
        alternatives: [rule.action === 'read' ? ok(route.success) : deny('action_denied')],
      };
    }
    return NOT_FOUND;
  }
  // `full` (and D4 `basic`, within its own-only scope) may create/read/update/delete in scope.
  return ok(route.success);
}

function adminOutcome(caller: Caller, route: RouteSpec, relation: Relation): Outcome {
  const rule = route.rule;
  if (rule.kind !== 'admin') throw new Error('not an admin route');
  const guard = featureGuard(caller, 'admin_panel', 'read', false);
  if (guard) return guard;
  const platform = isPlatformAdmin(caller);
  // D8: anyone but PLATFORM_ADMIN or a tenant OWNER/ADMIN gets 403 tenancy_denied.
  if (!platform && !isTenantAdmin(caller)) return deny('tenancy_denied');
  if (relation === 'invalidBody') {
    // READING: a PLATFORM_ADMIN-only route refuses a tenant admin before reading the body.
    return platform
      ? INVALID
      : deny('action_denied', { alternatives: [deny('tenancy_denied'), INVALID] });
  }
  const user = userRecord(caller, relation);
  const inScope = platform || !user || (user.tenant !== null && user.tenant === homeTenant(caller));
  if (rule.platformOnly && !platform) {
    // READING: tenant admins pass the /admin gate but these routes are "PLATFORM_ADMIN" only:
    // 403 action_denied (allowed area, forbidden action); tenancy_denied is the other reading,
    // and a user outside their tenant may equally answer 404 (outside scope).
    if (!inScope)
      return { ...NOT_FOUND, alternatives: [deny('tenancy_denied'), deny('action_denied')] };
    return deny('action_denied', { alternatives: [deny('tenancy_denied')] });
  }
  if (!inScope) return NOT_FOUND;
  return ok(route.success);
}

/** Whether any grant the caller holds for `permission` can hold for some target at all. */
export function couldEver(caller: Caller, permission: TenancyPermission): boolean {
  const row = TENANCY_MATRIX[permission];
  for (const column of [...KIND_COLUMNS[caller.kind], 'Everyone' as const]) {
    for (const grant of row[column] ?? []) {
      if (grant === 'any' || grant === 'author') return true;
      // "self" on a membership needs a membership of that kind to remove/change.
      if (grant === 'self')
        return permission.startsWith('clinic.')
          ? clinicsOf(caller).length > 0
          : homeTenant(caller) !== null;
      if (grant === 'ownTenant' && homeTenant(caller)) return true;
      if (grant === 'adminClinic' && clinicsOf(caller, 'ADMIN').length > 0) return true;
      if (grant === 'inClinic' && clinicsOf(caller).length > 0) return true;
    }
  }
  return false;
}

/** Seat grants move a member to `user_enterprise`; tiers outside the user_* family may be refused. */
const SEATABLE_TIERS: readonly string[] = [
  'user',
  'user_free',
  'user_pro',
  'user_premium',
  'user_enterprise',
];

/**
 * Tenancy routes. Two readings of API.md meet here:
 *  A. record level: a target outside the caller's scope → 404; a target it can read but may
 *     not change → 403 action_denied ("e.g. a clinic ADMIN deleting its clinic");
 *  B. guard level: the check order lists tenancy_denied among the guard's checks, before 404,
 *     so a caller whose tenancy role can never do the action may get 403 tenancy_denied first.
 * READING: A is expected; B's tenancy_denied is accepted as an alternative, EXCEPT where the
 * caller manages the target (OWNER/ADMIN of the tenant, clinic ADMIN of the clinic, i.e. it may
 * update it): that is the class of API.md's own example, for which action_denied is required.
 */
function tenancyOutcome(caller: Caller, route: RouteSpec, relation: Relation): Outcome {
  const rule = route.rule;
  if (rule.kind !== 'tenancy') throw new Error('not a tenancy route');
  // D8: "whatever the tier" — no feature check, so no role_expired either.
  const target = tenancyTarget(caller, route, relation);
  const guardDenied = deny('tenancy_denied');
  if (rule.target === 'none') {
    // No record named: the route-level decision is the tenancy axis (403 tenancy_denied).
    if (rule.need && !granted(caller, rule.need, { tenant: homeTenant(caller) }))
      return guardDenied;
    if (relation === 'invalidBody') return INVALID;
    if (rule.list === 'tenants' && target) {
      const listed = granted(caller, 'tenant.view', { tenant: target.tenant });
      // READING: a caller with no tenant gets an empty list; tenancy_denied is the B reading.
      return couldEver(caller, 'tenant.view')
        ? ok(route.success, listed)
        : { status: route.success, listed, alternatives: [guardDenied] };
    }
    return ok(route.success);
  }
  if (!target) throw new Error(`no target for ${route.key} / ${relation}`);
  const scope = { tenant: target.tenant, clinic: target.clinic };
  const neverAllowed = !couldEver(caller, rule.need ?? rule.view ?? 'tenant.view');
  // 404 when the tenant/clinic named is outside the caller's scope.
  if (rule.view && !granted(caller, rule.view, scope)) {
    return neverAllowed || !couldEver(caller, rule.view)
      ? { ...NOT_FOUND, alternatives: [guardDenied] }
      : NOT_FOUND;
  }
  if (!rule.need) return ok(route.success);
  const allowed = granted(caller, rule.need, { ...scope, self: target.self });
  if (allowed) {
    if (rule.need === 'tenant.members.remove' && target.self && tenantRole(caller) === 'OWNER') {
      // READING: an OWNER leaving may be refused as the last owner (409) in a one-owner tenant.
      return { status: route.success, alternatives: [{ status: 409, code: 'conflict' }] };
    }
    if (
      rule.need === 'tenant.seats.manage' &&
      target.self &&
      !SEATABLE_TIERS.includes(caller.tier)
    ) {
      // READING: a seat (tier user_enterprise) for someone on admin/owner/partner tiers is a
      // tier change D6 keeps to PLATFORM_ADMIN; refusing it with 409 is accepted.
      return { status: route.success, alternatives: [{ status: 409, code: 'conflict' }] };
    }
    return ok(route.success);
  }
  const manages =
    rule.target === 'tenant' || rule.target === 'tenantMember'
      ? granted(caller, 'tenant.update', scope)
      : granted(caller, 'clinic.update', scope);
  const alternatives: Outcome[] = manages ? [] : [guardDenied];
  if (
    rule.target === 'tenantMember' &&
    !target.self &&
    !granted(caller, 'tenant.members.listAll', scope)
  ) {
    // READING: a member's row the caller cannot list ("a member sees only their own row")
    // may equally answer 404 (the membership itself is outside their scope).
    alternatives.push(NOT_FOUND);
  }
  if (
    rule.target === 'clinicMember' &&
    !target.self &&
    !granted(caller, 'clinic.members.list', scope)
  ) {
    alternatives.push(NOT_FOUND);
  }
  if (rule.need === 'clinic.members.list') {
    // READING: listing the members of a clinic one is not in: 403; a filtered (empty) list is
    // the other reading, by analogy with "a member sees only their own row".
    alternatives.push(ok(200));
  }
  return deny('action_denied', alternatives.length ? { alternatives } : {});
}

function checkInOutcome(caller: Caller, route: RouteSpec, relation: Relation): Outcome {
  const rule = route.rule;
  if (rule.kind !== 'checkin') throw new Error('not a check-in route');
  const ci = checkInRecord(caller, relation);
  const platform = isPlatformAdmin(caller);
  switch (rule.op) {
    case 'create':
      return relation === 'invalidBody' ? INVALID : ok(route.success);
    case 'streak':
      return ok(route.success);
    case 'listOwn':
      // `own` (default): the caller's own check-ins.
      return ok(route.success, ci ? ci.author === 'self' : undefined);
    case 'listClinic': {
      // `clinic` = shared with the caller's clinics. READING: what a PLATFORM_ADMIN (no clinics)
      // or the author's own rows give here is not fixed; not checked.
      if (!ci || platform || ci.author === 'self') return ok(route.success);
      return ok(
        route.success,
        !ci.isPrivate && ci.sharedWith.some((c) => clinicsOf(caller).includes(c)),
      );
    }
    case 'listTenant': {
      if (!granted(caller, 'checkin.listTenant', { tenant: homeTenant(caller) }))
        return deny('tenancy_denied');
      if (!ci || platform || ci.author === 'self') return ok(route.success);
      const seen = checkInVisible(caller, ci);
      if (seen.ambiguous)
        return { status: 200, listed: true, alternatives: [{ status: 200, listed: false }] };
      return ok(route.success, seen.visible && ci.tenant === homeTenant(caller));
    }
    default:
      break;
  }
  if (!ci) throw new Error(`no check-in for ${route.key} / ${relation}`);
  const seen = checkInVisible(caller, ci);
  const alt = (o: Outcome): Outcome => (seen.ambiguous ? { ...o, alternatives: [NOT_FOUND] } : o);
  if (!seen.visible) return NOT_FOUND;
  const author = ci.author === 'self';
  switch (rule.op) {
    case 'get':
      return alt(ok(route.success));
    case 'update':
    case 'delete':
      return alt(
        granted(caller, 'checkin.change', { author }) ? ok(route.success) : deny('action_denied'),
      );
    case 'share': {
      // Shared to the caller's home clinic C1a (the clinic kinds belong to it).
      if (!granted(caller, 'checkin.share', { author })) return alt(deny('action_denied'));
      // API.md: a private check-in "cannot be shared (409)".
      if (ci.isPrivate) return { status: 409, code: 'conflict' };
      if (!platform && !clinicsOf(caller).includes('C1a')) {
        // "(author, to a clinic it belongs to)". READING: 403 action_denied; a caller who cannot
        // see the clinic at all (no tenant) may equally get 404.
        return deny('action_denied', {
          alternatives: homeTenant(caller) === 'T1' ? [] : [NOT_FOUND],
        });
      }
      return ok(route.success);
    }
    case 'unshare':
      return granted(caller, 'checkin.unshare', { tenant: ci.tenant, author })
        ? ok(route.success)
        : deny('action_denied');
  }
}

/**
 * What the spec says `caller` (null = no token) gets for `route` on the `relation` record.
 */
export function expectedOutcome(
  caller: Caller | null,
  route: RouteSpec,
  relation: Relation,
): Outcome {
  if (!caller) return UNAUTHENTICATED;
  switch (route.rule.kind) {
    case 'authenticated':
      return ok(route.success);
    case 'feature':
      return featureOutcome(caller, route, relation);
    case 'admin':
      return adminOutcome(caller, route, relation);
    case 'tenancy':
      return tenancyOutcome(caller, route, relation);
    case 'checkin':
      return checkInOutcome(caller, route, relation);
  }
}

/** Human-readable form for mismatch tables. */
export function formatOutcome(o: Outcome): string {
  const base = `${o.status}${o.code ? ` ${o.code}` : ''}${o.listed === undefined ? '' : o.listed ? ' listed' : ' not-listed'}`;
  return o.alternatives?.length
    ? `${base} (or ${o.alternatives.map(formatOutcome).join(' / ')})`
    : base;
}

/** Whether an actual answer satisfies the expectation (or one of its alternatives). */
export function matches(
  expected: Outcome,
  actual: { status: number; code?: string; listed?: boolean },
): boolean {
  const one = (e: Outcome): boolean =>
    e.status === actual.status &&
    (e.code === undefined || e.code === actual.code) &&
    (e.listed === undefined || e.listed === actual.listed);
  return one(expected) || (expected.alternatives ?? []).some(one);
}
