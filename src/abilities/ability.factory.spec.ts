import { subject } from '@casl/ability';
import type { Principal } from '../auth/principal';
import { buildAbility, effectiveLevel, type AbilityInput } from './ability.factory';
import { featureDenial } from './denials';
import type { Feature } from './features';
import type { Tier } from './tiers';

const T1 = 't1';
const C1 = 'c1';

function input(
  over: Partial<Principal> & { tier?: Tier } = {},
  disabled: Feature[] = [],
  now = new Date('2026-06-01T00:00:00Z'),
): AbilityInput {
  return {
    principal: {
      id: 'me',
      email: 'me@x.test',
      displayName: null,
      platformRole: null,
      tier: 'user_pro',
      tierExpiresAt: null,
      tenant: null,
      clinics: [],
      tokenVersion: 0,
      sessionId: 's',
      tokenId: 'j',
      ...over,
    },
    disabledFeatures: new Set(disabled),
    now,
  };
}

const patient = (fields: {
  ownerId: string;
  tenantId?: string | null;
  clinicId?: string | null;
  isTest?: boolean;
}) => subject('Patient', { tenantId: null, clinicId: null, isTest: false, ...fields });

describe('buildAbility — clinical data scope (PRODUCT.md §2.3)', () => {
  it('own records always; others not, for a solo practitioner', () => {
    const a = buildAbility(input());
    expect(a.can('update', patient({ ownerId: 'me' }))).toBe(true);
    expect(a.can('read', patient({ ownerId: 'someone' }))).toBe(false);
  });

  it('clinic members read their clinic; tenant admins the tenant; never test rows', () => {
    const member = buildAbility(
      input({ tenant: { id: T1, role: 'MEMBER' }, clinics: [{ id: C1, role: 'MEMBER' }] }),
    );
    expect(member.can('read', patient({ ownerId: 'x', tenantId: T1, clinicId: C1 }))).toBe(true);
    expect(member.can('read', patient({ ownerId: 'x', tenantId: T1, clinicId: 'c2' }))).toBe(false);
    const admin = buildAbility(input({ tenant: { id: T1, role: 'ADMIN' } }));
    expect(admin.can('read', patient({ ownerId: 'x', tenantId: T1, clinicId: 'c2' }))).toBe(true);
    expect(admin.can('read', patient({ ownerId: 'x', tenantId: 't2' }))).toBe(false);
    expect(admin.can('read', patient({ ownerId: 'me', isTest: true }))).toBe(false);
  });

  it('partner overlay: own test rows only, even inside its own clinic', () => {
    const a = buildAbility(
      input({
        tier: 'partner_paid',
        tenant: { id: T1, role: 'ADMIN' },
        clinics: [{ id: C1, role: 'ADMIN' }],
      }),
    );
    expect(a.can('read', patient({ ownerId: 'me', isTest: true }))).toBe(true);
    expect(a.can('read', patient({ ownerId: 'me', isTest: false }))).toBe(false);
    expect(a.can('read', patient({ ownerId: 'x', tenantId: T1, clinicId: C1 }))).toBe(false);
  });

  it('basic level (D4): own patients only, even as a clinic member', () => {
    const a = buildAbility(
      input({
        tier: 'user_free',
        tenant: { id: T1, role: 'MEMBER' },
        clinics: [{ id: C1, role: 'MEMBER' }],
      }),
    );
    expect(a.can('create', patient({ ownerId: 'me' }))).toBe(true);
    expect(a.can('read', patient({ ownerId: 'x', tenantId: T1, clinicId: C1 }))).toBe(false);
  });

  it('records under a patient take its scope with their own feature level (D12)', () => {
    const observer = buildAbility(input({ tier: 'beta_observer' }));
    const mine = subject('TreatmentSession', {
      patient: { ownerId: 'me', isTest: true, tenantId: null, clinicId: null },
    });
    expect(observer.can('read', mine)).toBe(true);
    expect(observer.can('create', mine)).toBe(false);
  });

  it('PLATFORM_ADMIN: everything, but a switched-off feature is off for it too (D7/D8)', () => {
    const a = buildAbility(input({ platformRole: 'PLATFORM_ADMIN', tier: 'user' }, ['analytics']));
    expect(a.can('delete', patient({ ownerId: 'x', tenantId: 't9' }))).toBe(true);
    expect(a.can('read', 'Analytics')).toBe(false);
    expect(a.can('read', 'FeatureFlag')).toBe(true);
  });

  it('tier admin is not platform administration (D2)', () => {
    const a = buildAbility(input({ tier: 'admin' }));
    expect(a.can('read', 'FeatureFlag')).toBe(false);
    expect(a.can('read', patient({ ownerId: 'x', tenantId: 't9' }))).toBe(false);
  });
});

describe('buildAbility — tenancy (seed 003 matrix)', () => {
  const tenant = (fields: { id: string }) => subject('Tenant', fields);
  it('members view their tenant; OWNER/ADMIN update it; only OWNER deletes; seatLimit is the platform’s', () => {
    const member = buildAbility(input({ tenant: { id: T1, role: 'MEMBER' } }));
    const admin = buildAbility(input({ tenant: { id: T1, role: 'ADMIN' } }));
    const owner = buildAbility(input({ tenant: { id: T1, role: 'OWNER' } }));
    expect(member.can('read', tenant({ id: T1 }))).toBe(true);
    expect(member.can('update', tenant({ id: T1 }))).toBe(false);
    expect(admin.can('update', tenant({ id: T1 }))).toBe(true);
    expect(admin.can('update', tenant({ id: T1 }), 'seatLimit')).toBe(false);
    expect(admin.can('delete', tenant({ id: T1 }))).toBe(false);
    expect(owner.can('delete', tenant({ id: T1 }))).toBe(true);
    expect(owner.can('read', tenant({ id: 't2' }))).toBe(false);
  });

  it('clinic ADMIN updates its clinic but does not delete it; adds MEMBERs only', () => {
    const a = buildAbility(
      input({ tenant: { id: T1, role: 'MEMBER' }, clinics: [{ id: C1, role: 'ADMIN' }] }),
    );
    expect(a.can('update', subject('Clinic', { id: C1, tenantId: T1 }))).toBe(true);
    expect(a.can('delete', subject('Clinic', { id: C1, tenantId: T1 }))).toBe(false);
    expect(
      a.can('create', subject('ClinicMember', { tenantId: T1, clinicId: C1, role: 'MEMBER' })),
    ).toBe(true);
    expect(
      a.can('create', subject('ClinicMember', { tenantId: T1, clinicId: C1, role: 'ADMIN' })),
    ).toBe(false);
  });

  it('private check-ins: author only among non-platform callers (D11)', () => {
    const owner = buildAbility(input({ id: 'boss', tenant: { id: T1, role: 'OWNER' } }));
    const privateOne = subject('CheckIn', {
      authorId: 'me',
      tenantId: T1,
      isPrivate: true,
      shares: [],
    });
    const shared = subject('CheckIn', {
      authorId: 'me',
      tenantId: T1,
      isPrivate: false,
      shares: [{ clinicId: C1 }],
    });
    expect(owner.can('read', privateOne)).toBe(false);
    expect(owner.can('read', shared)).toBe(true);
  });
});

describe('featureDenial — order of checks (API.md)', () => {
  it('feature_disabled before role_expired before feature_denied', () => {
    const expired = input(
      { tier: 'beta_observer', tierExpiresAt: new Date('2026-01-01T00:00:00Z') },
      ['analytics'],
    );
    expect(featureDenial(expired, 'analytics', 'read')?.code).toBe('feature_disabled');
    expect(featureDenial(expired, 'wellness_journey', 'read')?.code).toBe('role_expired');
    const free = input({ tier: 'user_free' });
    expect(featureDenial(free, 'analytics', 'read')).toMatchObject({
      code: 'feature_denied',
      feature: 'analytics',
      tier: 'user_free',
    });
  });

  it('read level allows read only', () => {
    const observer = input({ tier: 'beta_observer' });
    expect(featureDenial(observer, 'wellness_journey', 'read')).toBeNull();
    expect(featureDenial(observer, 'wellness_journey', 'create')?.code).toBe('feature_denied');
  });

  it('effective level: PLATFORM_ADMIN full, expired none', () => {
    expect(
      effectiveLevel(input({ platformRole: 'PLATFORM_ADMIN', tier: 'user_free' }), 'analytics'),
    ).toBe('full');
    expect(
      effectiveLevel(
        input({ tier: 'user_pro', tierExpiresAt: new Date('2020-01-01') }),
        'analytics',
      ),
    ).toBe('none');
  });
});
