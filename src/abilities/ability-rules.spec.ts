import { subject } from '@casl/ability';
import type { Principal } from '../auth/principal';
import { buildAbility, isTierExpired, type AbilityInput, type AppAbility } from './ability.factory';
import type { Action } from './actions';
import { actionDenial, featureDenial, tenancyDenial } from './denials';
import type { Feature } from './features';
import type { SubjectType } from './subjects';
import type { Tier } from './tiers';

/**
 * The ability factory's rules as a table written from the spec (API.md "Tenancy",
 * "Check-ins", "Admin panel", seed 003's matrix, PRODUCT.md §2.3, D2/D6/D8): each row names a
 * caller, an action, a record and whether it is allowed. Rows come in pairs (inside / just
 * outside a condition) so a dropped condition, action or subject name changes an answer
 * (mutation testing, docs/security-testing.md).
 */
const ME = 'me';
const T1 = 't1';
const T2 = 't2';
const C1 = 'c1';
const C2 = 'c2';
const C3 = 'c3';
const NOW = new Date('2026-06-01T00:00:00Z');

function principal(over: Partial<Principal>): Principal {
  return {
    id: ME,
    email: 'me@x.test',
    displayName: null,
    platformRole: null,
    tier: 'user_enterprise',
    tierExpiresAt: null,
    tenant: null,
    clinics: [],
    tokenVersion: 0,
    sessionId: 's',
    tokenId: 'j',
    ...over,
  };
}

const input = (p: Principal, disabled: Feature[] = []): AbilityInput => ({
  principal: p,
  disabledFeatures: new Set(disabled),
  now: NOW,
});

const CALLERS = {
  pa: principal({ platformRole: 'PLATFORM_ADMIN', tier: 'admin' }),
  owner: principal({ tenant: { id: T1, role: 'OWNER' } }),
  tadmin: principal({ tenant: { id: T1, role: 'ADMIN' } }),
  cadmin: principal({
    tenant: { id: T1, role: 'MEMBER' },
    clinics: [
      { id: C1, role: 'ADMIN' },
      { id: C3, role: 'MEMBER' },
    ],
  }),
  cmember: principal({ tenant: { id: T1, role: 'MEMBER' }, clinics: [{ id: C1, role: 'MEMBER' }] }),
  member: principal({ tenant: { id: T1, role: 'MEMBER' } }),
  solo: principal({ tier: 'user_pro' }),
  free: principal({ tier: 'user_free' }),
  premium: principal({ tier: 'user_premium' }),
  partner: principal({
    tier: 'partner_paid',
    tenant: { id: T1, role: 'MEMBER' },
    clinics: [{ id: C1, role: 'MEMBER' }],
  }),
  observer: principal({ tier: 'beta_observer', tenant: { id: T1, role: 'MEMBER' } }),
  proAdmin: principal({ tier: 'user_pro', tenant: { id: T1, role: 'ADMIN' } }),
} as const;
type CallerName = keyof typeof CALLERS;

// Built per test, never cached: Stryker's per-test coverage must see every row run the factory.
const ability = (name: CallerName): AppAbility => buildAbility(input(CALLERS[name]));

type Row = readonly [
  CallerName,
  Action,
  SubjectType,
  Record<string, unknown> | null,
  boolean,
  string?,
];

const ROWS: readonly Row[] = [
  // PLATFORM_ADMIN: everything.
  ['pa', 'delete', 'Tenant', { id: T2 }, true],
  ['pa', 'update', 'TenantMember', { tenantId: T2, role: 'OWNER' }, true],
  // Check-ins: the author; shares by the author; tenant admins unshare.
  ['solo', 'create', 'CheckIn', { authorId: ME }, true],
  ['solo', 'read', 'CheckIn', { authorId: ME }, true],
  ['solo', 'update', 'CheckIn', { authorId: ME }, true],
  ['solo', 'delete', 'CheckIn', { authorId: ME }, true],
  ['solo', 'read', 'CheckIn', { authorId: 'x' }, false],
  ['solo', 'update', 'CheckIn', { authorId: 'x' }, false],
  ['solo', 'create', 'CheckInShare', { checkIn: { authorId: ME } }, true],
  ['solo', 'create', 'CheckInShare', { checkIn: { authorId: 'x' } }, false],
  ['solo', 'delete', 'CheckInShare', { checkIn: { authorId: ME } }, true],
  ['solo', 'delete', 'CheckInShare', { checkIn: { authorId: 'x' } }, false],
  ['tadmin', 'delete', 'CheckInShare', { tenantId: T1, checkIn: { authorId: 'x' } }, true],
  ['tadmin', 'delete', 'CheckInShare', { tenantId: T2, checkIn: { authorId: 'x' } }, false],
  ['member', 'delete', 'CheckInShare', { tenantId: T1, checkIn: { authorId: 'x' } }, false],
  [
    'cmember',
    'read',
    'CheckIn',
    { authorId: 'x', tenantId: T1, isPrivate: false, shares: [{ clinicId: C1 }] },
    true,
  ],
  [
    'cmember',
    'read',
    'CheckIn',
    { authorId: 'x', tenantId: T1, isPrivate: true, shares: [{ clinicId: C1 }] },
    false,
  ],
  [
    'cmember',
    'read',
    'CheckIn',
    { authorId: 'x', tenantId: T1, isPrivate: false, shares: [{ clinicId: C2 }] },
    false,
  ],
  [
    'cmember',
    'read',
    'CheckIn',
    { authorId: 'x', tenantId: T2, isPrivate: false, shares: [{ clinicId: C1 }] },
    false,
  ],
  [
    'member',
    'read',
    'CheckIn',
    { authorId: 'x', tenantId: T1, isPrivate: false, shares: [] },
    false,
  ],
  [
    'tadmin',
    'read',
    'CheckIn',
    { authorId: 'x', tenantId: T1, isPrivate: false, shares: [] },
    true,
  ],
  [
    'tadmin',
    'read',
    'CheckIn',
    { authorId: 'x', tenantId: T1, isPrivate: true, shares: [] },
    false,
  ],
  [
    'tadmin',
    'read',
    'CheckIn',
    { authorId: 'x', tenantId: T2, isPrivate: false, shares: [] },
    false,
  ],
  // Tenants: members view; OWNER/ADMIN update (not seatLimit); OWNER deletes.
  ['member', 'read', 'Tenant', { id: T1 }, true],
  ['member', 'read', 'Tenant', { id: T2 }, false],
  ['solo', 'read', 'Tenant', { id: T1 }, false],
  ['member', 'update', 'Tenant', { id: T1 }, false],
  ['tadmin', 'update', 'Tenant', { id: T1 }, true, 'name'],
  ['tadmin', 'update', 'Tenant', { id: T1 }, false, 'seatLimit'],
  ['tadmin', 'update', 'Tenant', { id: T2 }, false, 'name'],
  ['owner', 'delete', 'Tenant', { id: T1 }, true],
  ['owner', 'delete', 'Tenant', { id: T2 }, false],
  ['tadmin', 'delete', 'Tenant', { id: T1 }, false],
  ['member', 'create', 'Tenant', null, false],
  // Clinics: tenant members view; clinic ADMIN updates its own; OWNER/ADMIN manage.
  ['member', 'read', 'Clinic', { tenantId: T1, id: C2 }, true],
  ['member', 'read', 'Clinic', { tenantId: T2, id: C2 }, false],
  ['cadmin', 'update', 'Clinic', { tenantId: T1, id: C1 }, true],
  ['cadmin', 'update', 'Clinic', { tenantId: T1, id: C3 }, false],
  ['cadmin', 'update', 'Clinic', { tenantId: T2, id: C1 }, false],
  ['cmember', 'update', 'Clinic', { tenantId: T1, id: C1 }, false],
  ['cadmin', 'delete', 'Clinic', { tenantId: T1, id: C1 }, false],
  ['tadmin', 'create', 'Clinic', { tenantId: T1 }, true],
  ['tadmin', 'update', 'Clinic', { tenantId: T1, id: C2 }, true],
  ['tadmin', 'delete', 'Clinic', { tenantId: T1, id: C2 }, true],
  ['tadmin', 'delete', 'Clinic', { tenantId: T2, id: C2 }, false],
  ['member', 'create', 'Clinic', { tenantId: T1 }, false],
  // Tenant members: own row; OWNER/ADMIN all of the tenant; invite and remove MEMBERs only.
  ['member', 'read', 'TenantMember', { tenantId: T1, userId: ME }, true],
  ['member', 'read', 'TenantMember', { tenantId: T1, userId: 'x' }, false],
  ['member', 'delete', 'TenantMember', { tenantId: T1, userId: ME, role: 'MEMBER' }, true],
  ['member', 'delete', 'TenantMember', { tenantId: T1, userId: 'x', role: 'MEMBER' }, false],
  ['member', 'delete', 'TenantMember', { tenantId: T2, userId: ME, role: 'MEMBER' }, false],
  ['tadmin', 'read', 'TenantMember', { tenantId: T1, userId: 'x' }, true],
  ['tadmin', 'read', 'TenantMember', { tenantId: T2, userId: 'x' }, false],
  ['tadmin', 'create', 'TenantMember', { tenantId: T1, role: 'MEMBER' }, true],
  ['tadmin', 'create', 'TenantMember', { tenantId: T1, role: 'ADMIN' }, false],
  ['tadmin', 'create', 'TenantMember', { tenantId: T2, role: 'MEMBER' }, false],
  ['tadmin', 'delete', 'TenantMember', { tenantId: T1, userId: 'x', role: 'MEMBER' }, true],
  ['tadmin', 'delete', 'TenantMember', { tenantId: T1, userId: 'x', role: 'OWNER' }, false],
  ['tadmin', 'update', 'TenantMember', { tenantId: T1, userId: 'x', role: 'MEMBER' }, false],
  ['member', 'create', 'TenantMember', { tenantId: T1, role: 'MEMBER' }, false],
  // Clinic members: members of the clinic view; clinic ADMIN adds/removes MEMBERs of it; leave.
  ['cmember', 'read', 'ClinicMember', { tenantId: T1, clinicId: C1, userId: 'x' }, true],
  ['cmember', 'read', 'ClinicMember', { tenantId: T1, clinicId: C2, userId: 'x' }, false],
  ['cmember', 'read', 'ClinicMember', { tenantId: T2, clinicId: C1, userId: 'x' }, false],
  ['member', 'read', 'ClinicMember', { tenantId: T1, clinicId: C1, userId: 'x' }, false],
  [
    'cmember',
    'delete',
    'ClinicMember',
    { tenantId: T1, clinicId: C1, userId: ME, role: 'MEMBER' },
    true,
  ],
  [
    'cmember',
    'delete',
    'ClinicMember',
    { tenantId: T1, clinicId: C1, userId: 'x', role: 'MEMBER' },
    false,
  ],
  [
    'member',
    'delete',
    'ClinicMember',
    { tenantId: T1, clinicId: C1, userId: ME, role: 'MEMBER' },
    false,
  ],
  ['cadmin', 'create', 'ClinicMember', { tenantId: T1, clinicId: C1, role: 'MEMBER' }, true],
  ['cadmin', 'create', 'ClinicMember', { tenantId: T1, clinicId: C1, role: 'ADMIN' }, false],
  ['cadmin', 'create', 'ClinicMember', { tenantId: T1, clinicId: C3, role: 'MEMBER' }, false],
  ['cadmin', 'create', 'ClinicMember', { tenantId: T2, clinicId: C1, role: 'MEMBER' }, false],
  [
    'cadmin',
    'delete',
    'ClinicMember',
    { tenantId: T1, clinicId: C1, userId: 'x', role: 'MEMBER' },
    true,
  ],
  [
    'cadmin',
    'update',
    'ClinicMember',
    { tenantId: T1, clinicId: C1, userId: 'x', role: 'MEMBER' },
    false,
  ],
  ['cmember', 'create', 'ClinicMember', { tenantId: T1, clinicId: C1, role: 'MEMBER' }, false],
  ['tadmin', 'read', 'ClinicMember', { tenantId: T1, clinicId: C2, userId: 'x' }, true],
  ['tadmin', 'create', 'ClinicMember', { tenantId: T1, clinicId: C2, role: 'ADMIN' }, true],
  [
    'tadmin',
    'update',
    'ClinicMember',
    { tenantId: T1, clinicId: C2, userId: 'x', role: 'ADMIN' },
    true,
  ],
  [
    'tadmin',
    'delete',
    'ClinicMember',
    { tenantId: T1, clinicId: C2, userId: 'x', role: 'ADMIN' },
    true,
  ],
  [
    'tadmin',
    'update',
    'ClinicMember',
    { tenantId: T2, clinicId: C2, userId: 'x', role: 'ADMIN' },
    false,
  ],
  // Seats (D6): OWNER/ADMIN of the tenant.
  ['tadmin', 'update', 'Seat', { tenantId: T1 }, true],
  ['tadmin', 'delete', 'Seat', { tenantId: T1 }, true],
  ['tadmin', 'update', 'Seat', { tenantId: T2 }, false],
  ['member', 'update', 'Seat', { tenantId: T1 }, false],
  ['cadmin', 'delete', 'Seat', { tenantId: T1 }, false],
  // Protocols: own; the tenant's library read by live members, curated by its admins.
  ['solo', 'create', 'Protocol', { ownerId: ME, isTest: false }, true],
  ['solo', 'read', 'Protocol', { ownerId: ME, isTest: false }, true],
  ['solo', 'update', 'Protocol', { ownerId: ME, isTest: false }, true],
  ['solo', 'delete', 'Protocol', { ownerId: ME, isTest: false }, true],
  ['solo', 'read', 'Protocol', { ownerId: ME, isTest: true }, false],
  ['solo', 'read', 'Protocol', { ownerId: 'x', isTest: false }, false],
  ['member', 'read', 'Protocol', { ownerId: 'x', tenantId: T1, isTest: false }, true],
  ['member', 'read', 'Protocol', { ownerId: 'x', tenantId: T1, isTest: true }, false],
  ['member', 'read', 'Protocol', { ownerId: 'x', tenantId: T2, isTest: false }, false],
  ['member', 'update', 'Protocol', { ownerId: 'x', tenantId: T1, isTest: false }, false],
  ['member', 'delete', 'Protocol', { ownerId: 'x', tenantId: T1, isTest: false }, false],
  ['tadmin', 'update', 'Protocol', { ownerId: 'x', tenantId: T1, isTest: false }, true],
  ['tadmin', 'delete', 'Protocol', { ownerId: 'x', tenantId: T1, isTest: false }, true],
  ['tadmin', 'update', 'Protocol', { ownerId: 'x', tenantId: T1, isTest: true }, false],
  ['tadmin', 'delete', 'Protocol', { ownerId: 'x', tenantId: T2, isTest: false }, false],
  ['proAdmin', 'update', 'Protocol', { ownerId: 'x', tenantId: T1, isTest: false }, true],
  ['partner', 'read', 'Protocol', { ownerId: ME, isTest: true }, true],
  ['partner', 'update', 'Protocol', { ownerId: ME, isTest: true }, true],
  ['partner', 'read', 'Protocol', { ownerId: ME, isTest: false }, false],
  ['partner', 'read', 'Protocol', { ownerId: 'x', tenantId: T1, isTest: false }, false],
  ['observer', 'read', 'Protocol', { ownerId: ME, isTest: true }, true],
  ['observer', 'update', 'Protocol', { ownerId: ME, isTest: true }, false],
  ['free', 'read', 'Protocol', { ownerId: ME, isTest: false }, false],
  // Features without records: the tier's level (feature-matrix.csv).
  ['solo', 'read', 'Dashboard', null, true],
  ['free', 'read', 'Dashboard', null, false],
  ['solo', 'read', 'Export', null, true],
  ['free', 'read', 'Export', null, false],
  ['solo', 'read', 'Analytics', null, true],
  ['free', 'read', 'Analytics', null, false],
  ['premium', 'read', 'BenchmarkCohort', null, true],
  ['solo', 'read', 'BenchmarkCohort', null, false],
  // Admin panel (D8): admin_panel AND tenant OWNER/ADMIN, their tenant, read only.
  ['tadmin', 'read', 'AdminUser', { membership: { tenantId: T1 } }, true],
  ['tadmin', 'read', 'AdminUser', { membership: { tenantId: T2 } }, false],
  ['tadmin', 'update', 'AdminUser', { membership: { tenantId: T1 } }, false],
  ['tadmin', 'read', 'AuditLog', { tenantId: T1 }, true],
  ['tadmin', 'read', 'AuditLog', { tenantId: T2 }, false],
  ['proAdmin', 'read', 'AdminUser', { membership: { tenantId: T1 } }, false],
  ['proAdmin', 'read', 'AuditLog', { tenantId: T1 }, false],
  ['member', 'read', 'AdminUser', { membership: { tenantId: T1 } }, false],
  ['tadmin', 'create', 'Partner', null, false],
  ['tadmin', 'read', 'FeatureFlag', null, false],
  // Patients at `basic` (D4): own, every action.
  ['free', 'create', 'Patient', { ownerId: ME, isTest: false }, true],
  ['free', 'read', 'Patient', { ownerId: ME, isTest: false }, true],
  ['free', 'update', 'Patient', { ownerId: ME, isTest: false }, true],
  ['free', 'delete', 'Patient', { ownerId: ME, isTest: false }, true],
  ['solo', 'read', 'TreatmentSession', { patient: { ownerId: ME, isTest: false } }, true],
  ['solo', 'read', 'TreatmentSession', { patient: { ownerId: 'x', isTest: false } }, false],
];

describe('ability rules, table from the spec', () => {
  it.each(
    ROWS.map(
      (row) =>
        [
          `${row[0]} ${row[1]} ${row[2]} ${JSON.stringify(row[3])}${row[5] ? `.${row[5]}` : ''} → ${row[4]}`,
          row,
        ] as const,
    ),
  )('%s', (_label, [caller, action, type, record, expected, field]) => {
    const target = record ? subject(type, { ...record }) : type;
    expect(ability(caller).can(action, target as never, field)).toBe(expected);
  });

  it('a switched-off wellness_journey takes every record under a patient with it (D12)', () => {
    const a = buildAbility(input(CALLERS.solo, ['wellness_journey']));
    expect(a.can('read', subject('Patient', { ownerId: ME, isTest: false }))).toBe(false);
    expect(
      a.can('read', subject('TreatmentSession', { patient: { ownerId: ME, isTest: false } })),
    ).toBe(false);
    expect(a.can('read', subject('Assessment', { patient: { ownerId: ME, isTest: false } }))).toBe(
      false,
    );
  });

  it('a time-boxed tier expires at its instant, not a millisecond later', () => {
    const at = (ms: number): boolean =>
      isTierExpired(principal({ tierExpiresAt: new Date(NOW.getTime() + ms) }), NOW);
    expect(at(0)).toBe(true);
    expect(at(-1)).toBe(true);
    expect(at(1)).toBe(false);
    expect(isTierExpired(principal({ tierExpiresAt: null }), NOW)).toBe(false);
  });
});

describe('denials name the feature, the tier and what would allow it', () => {
  const p = (over: Partial<Principal>, tier: Tier = 'user_free'): Principal =>
    principal({ tier, ...over });

  it('feature_disabled says where it is switched off', () => {
    expect(
      featureDenial(
        input(p({ tenant: { id: T1, role: 'MEMBER' } }), ['analytics']),
        'analytics',
        'read',
      ),
    ).toEqual({
      code: 'feature_disabled',
      feature: 'analytics',
      action: 'read',
      tier: 'user_free',
      reason:
        'The analytics feature is switched off for this tenant or platform-wide; a platform admin can switch it back on.',
    });
    expect(featureDenial(input(p({}), ['analytics']), 'analytics', 'read')?.reason).toBe(
      'The analytics feature is switched off platform-wide; a platform admin can switch it back on.',
    );
    // admin_panel cannot be switched off (D7), and a PLATFORM_ADMIN passes the rest.
    expect(
      featureDenial(
        input(p({ platformRole: 'PLATFORM_ADMIN' }), ['admin_panel']),
        'admin_panel',
        'update',
      ),
    ).toBeNull();
  });

  it('role_expired names the instant', () => {
    const expired = p({ tierExpiresAt: new Date('2026-05-01T00:00:00Z') }, 'beta_observer');
    expect(featureDenial(input(expired), 'wellness_journey', 'read')).toEqual({
      code: 'role_expired',
      feature: 'wellness_journey',
      action: 'read',
      tier: 'beta_observer',
      reason:
        'Tier beta_observer expired at 2026-05-01T00:00:00.000Z; a platform admin can extend it or assign another tier.',
    });
  });

  it('feature_denied lists the tiers that include the feature, or that may write it', () => {
    expect(featureDenial(input(p({})), 'analytics', 'read')).toEqual({
      code: 'feature_denied',
      feature: 'analytics',
      action: 'read',
      tier: 'user_free',
      reason:
        'Tier user_free does not include analytics; it is included in tiers admin, owner, partner_paid, user_pro, user_premium, user_enterprise.',
    });
    expect(featureDenial(input(p({}, 'beta_observer')), 'session_vitals', 'create')).toEqual({
      code: 'feature_denied',
      feature: 'session_vitals',
      action: 'create',
      tier: 'beta_observer',
      reason:
        'Tier beta_observer has read-only access to session_vitals; create needs one of admin, partner, user, owner, partner_free, partner_paid, user_free, user_pro, user_premium, user_enterprise.',
    });
    expect(featureDenial(input(p({}, 'beta_observer')), 'session_vitals', 'read')).toBeNull();
    expect(featureDenial(input(p({}, 'user_pro')), 'analytics', 'delete')).toBeNull();
  });

  it('the tier lists name every tier with the needed level (read and basic included)', () => {
    expect(featureDenial(input(p({})), 'multi_patient_dashboard', 'read')?.reason).toBe(
      'Tier user_free does not include multi_patient_dashboard; it is included in tiers admin, partner, owner, partner_free, partner_paid, beta_observer, user_pro, user_premium, user_enterprise.',
    );
    expect(featureDenial(input(p({}, 'beta_observer')), 'wellness_journey', 'update')?.reason).toBe(
      'Tier beta_observer has read-only access to wellness_journey; update needs one of admin, partner, user, owner, partner_free, partner_paid, user_free, user_pro, user_premium, user_enterprise.',
    );
  });

  it('a PLATFORM_ADMIN is never role_expired, whatever its tier expiry says', () => {
    const pa = p(
      { platformRole: 'PLATFORM_ADMIN', tierExpiresAt: new Date('2020-01-01T00:00:00Z') },
      'beta_observer',
    );
    expect(featureDenial(input(pa), 'analytics', 'delete')).toBeNull();
  });

  it('tenancy_denied and action_denied explain the role', () => {
    const cm = p({
      tenant: { id: T1, role: 'MEMBER' },
      clinics: [
        { id: C1, role: 'ADMIN' },
        { id: C2, role: 'MEMBER' },
      ],
    });
    expect(tenancyDenial(cm, null, 'delete', 'delete Clinic')).toEqual({
      code: 'tenancy_denied',
      feature: null,
      action: 'delete',
      tier: 'user_free',
      reason:
        'delete Clinic is not allowed for your tenancy role (tenant MEMBER, clinic ADMIN/MEMBER).',
    });
    expect(tenancyDenial(p({}), null, 'create', 'create Tenant').reason).toBe(
      'create Tenant is not allowed for your tenancy role (no tenant).',
    );
    expect(tenancyDenial(p({}), 'admin_panel', 'read', 'read AdminUser').reason).toBe(
      'read AdminUser needs a platform admin, or a tenant OWNER/ADMIN for their own tenant.',
    );
    expect(actionDenial(cm, 'wellness_journey', 'delete', 'patient')).toEqual({
      code: 'action_denied',
      feature: 'wellness_journey',
      action: 'delete',
      tier: 'user_free',
      reason: 'You can see this patient but may not delete it with your role.',
    });
  });
});
