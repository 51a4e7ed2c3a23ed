import { expectedOutcome, matches, type Outcome } from '../matrix/oracle';
import { ALL_ROUTES, type Relation, type RouteSpec } from '../matrix/routes';
import {
  type Caller,
  type CallerKind,
  FEATURE_MATRIX,
  FEATURES,
  type Tier,
  TIERS,
} from '../matrix/spec-tables';

function route(key: string): RouteSpec {
  const found = ALL_ROUTES.find((r) => r.key === key);
  if (!found) throw new Error(`no route ${key}`);
  return found;
}
const caller = (kind: CallerKind, tier: Tier, expired = false): Caller => ({ kind, tier, expired });
function expectOutcome(
  c: Caller | null,
  key: string,
  relation: Relation,
  expected: Partial<Outcome>,
): void {
  expect(expectedOutcome(c, route(key), relation)).toMatchObject(expected);
}

describe('authorization oracle (hand-checked rows from the spec)', () => {
  it('parses the committed feature matrix: 9 features x 11 tiers', () => {
    expect(Object.keys(FEATURE_MATRIX).sort()).toEqual([...FEATURES].sort());
    for (const f of FEATURES)
      expect(Object.keys(FEATURE_MATRIX[f]).sort()).toEqual([...TIERS].sort());
    expect(FEATURE_MATRIX.benchmark_intel.partner).toBe('read'); // D1
    expect(FEATURE_MATRIX.benchmark_intel.partner_free).toBe('none'); // D3
    expect(FEATURE_MATRIX.wellness_journey.user).toBe('basic');
  });

  it('401 for a missing token, whatever the route', () => {
    for (const r of ALL_ROUTES)
      expect(expectedOutcome(null, r, r.relations[0])).toEqual({
        status: 401,
        code: 'unauthenticated',
      });
  });

  it('user_free GET /analytics/outcomes → 403 feature_denied', () => {
    expectOutcome(caller('CLINIC_MEMBER', 'user_free'), 'GET /analytics/outcomes', 'none', {
      status: 403,
      code: 'feature_denied',
    });
    expectOutcome(caller('SOLO', 'user_free'), 'GET /analytics/outcomes', 'none', {
      status: 403,
      code: 'feature_denied',
    });
  });

  it('beta_observer POST /patients → 403 feature_denied, even with an invalid body', () => {
    expectOutcome(caller('CLINIC_MEMBER', 'beta_observer'), 'POST /patients', 'none', {
      status: 403,
      code: 'feature_denied',
    });
    expectOutcome(caller('SOLO', 'beta_observer'), 'POST /patients', 'invalidBody', {
      status: 403,
      code: 'feature_denied',
    });
    // ... while a `read` tier may run the store-nothing computations
    expectOutcome(caller('SOLO', 'beta_observer'), 'POST /protocols/dose-calculation', 'none', {
      status: 200,
    });
  });

  it('partner_free GET a live patient of its own clinic (or its own live one) → 404; its own test patient → 200', () => {
    const partner = caller('CLINIC_MEMBER', 'partner_free');
    expectOutcome(partner, 'GET /patients/:id', 'sameClinic', { status: 404 });
    expectOutcome(partner, 'GET /patients/:id', 'own', { status: 404 });
    expectOutcome(partner, 'GET /patients/:id', 'ownTest', { status: 200 });
    expectOutcome(partner, 'GET /patients/:id', 'otherTest', { status: 404 });
    expectOutcome(partner, 'POST /patients', 'none', { status: 201 });
  });

  it('tenant MEMBER PATCH /tenants/:id (own tenant) → 403 action_denied; another tenant → 404', () => {
    expectOutcome(caller('TENANT_MEMBER', 'user_pro'), 'PATCH /tenants/:id [name]', 'homeTenant', {
      status: 403,
      code: 'action_denied',
    });
    expectOutcome(caller('TENANT_MEMBER', 'user_pro'), 'PATCH /tenants/:id [name]', 'otherTenant', {
      status: 404,
    });
    expectOutcome(caller('TENANT_ADMIN', 'user_free'), 'PATCH /tenants/:id [name]', 'homeTenant', {
      status: 200,
    });
    expectOutcome(
      caller('TENANT_ADMIN', 'user_free'),
      'PATCH /tenants/:id [seatLimit]',
      'homeTenant',
      { status: 403, code: 'action_denied' },
    );
  });

  it('clinic ADMIN DELETE /clinics/:id of its clinic → 403 action_denied; tenant ADMIN → 204', () => {
    expectOutcome(caller('CLINIC_ADMIN', 'user_enterprise'), 'DELETE /clinics/:id', 'homeClinic', {
      status: 403,
      code: 'action_denied',
    });
    expectOutcome(caller('TENANT_ADMIN', 'user_free'), 'DELETE /clinics/:id', 'homeClinic', {
      status: 204,
    });
    expectOutcome(caller('CLINIC_ADMIN', 'user_enterprise'), 'PATCH /clinics/:id', 'homeClinic', {
      status: 200,
    });
    expectOutcome(caller('CLINIC_ADMIN', 'user_enterprise'), 'PATCH /clinics/:id', 'otherClinic', {
      status: 403,
      code: 'action_denied',
    });
  });

  it('only PLATFORM_ADMIN creates tenants; only OWNER (or PLATFORM_ADMIN) deletes one', () => {
    expectOutcome(caller('TENANT_OWNER', 'owner'), 'POST /tenants', 'none', {
      status: 403,
      code: 'tenancy_denied',
    });
    expectOutcome(caller('PLATFORM_ADMIN', 'user_free'), 'POST /tenants', 'none', { status: 201 });
    expectOutcome(caller('TENANT_OWNER', 'user_free'), 'DELETE /tenants/:id', 'homeTenant', {
      status: 204,
    });
    expectOutcome(caller('TENANT_ADMIN', 'admin'), 'DELETE /tenants/:id', 'homeTenant', {
      status: 403,
      code: 'action_denied',
    });
    expectOutcome(caller('SOLO', 'admin'), 'GET /tenants/:id', 'homeTenant', { status: 404 });
  });

  it('tenancy routes ignore the tier, even an expired one (D8)', () => {
    expectOutcome(caller('TENANT_OWNER', 'beta_observer', true), 'GET /tenants/:id', 'homeTenant', {
      status: 200,
    });
    expectOutcome(caller('TENANT_OWNER', 'beta_observer', true), 'GET /patients', 'own', {
      status: 403,
      code: 'role_expired',
    });
  });

  it('D4: basic Wellness Journey sees own patients only, and D12 carries that to sessions', () => {
    const free = caller('CLINIC_MEMBER', 'user_free');
    expectOutcome(free, 'GET /patients/:id', 'own', { status: 200 });
    expectOutcome(free, 'GET /patients/:id', 'sameClinic', { status: 404 });
    expectOutcome(free, 'GET /sessions/:id', 'sameClinic', { status: 404 });
    expectOutcome(caller('CLINIC_MEMBER', 'user_pro'), 'GET /sessions/:id', 'sameClinic', {
      status: 200,
    });
    expectOutcome(free, 'GET /dashboard', 'own', { status: 403, code: 'feature_denied' });
  });

  it('test rows: live callers never, PLATFORM_ADMIN only with includeTest=true in lists', () => {
    expectOutcome(caller('TENANT_OWNER', 'admin'), 'GET /patients/:id', 'otherTest', {
      status: 404,
    });
    expectOutcome(caller('TENANT_OWNER', 'admin'), 'GET /patients', 'otherTest', {
      status: 200,
      listed: false,
    });
    expectOutcome(caller('PLATFORM_ADMIN', 'admin'), 'GET /patients', 'otherTest', {
      status: 200,
      listed: false,
    });
    expectOutcome(
      caller('PLATFORM_ADMIN', 'admin'),
      'GET /patients?includeTest=true',
      'otherTest',
      { status: 200, listed: true },
    );
    expectOutcome(caller('TENANT_OWNER', 'admin'), 'GET /patients?includeTest=true', 'own', {
      status: 403,
      code: 'action_denied',
    });
    expectOutcome(caller('PLATFORM_ADMIN', 'partner_free'), 'GET /patients/:id', 'otherTest', {
      status: 200,
    });
  });

  it('D11: a private check-in is the author’s and PLATFORM_ADMIN’s only', () => {
    expectOutcome(caller('TENANT_OWNER', 'admin'), 'GET /check-ins/:id', 'sameClinicPrivate', {
      status: 404,
    });
    expectOutcome(caller('PLATFORM_ADMIN', 'user'), 'GET /check-ins/:id', 'sameClinicPrivate', {
      status: 200,
    });
    expectOutcome(caller('CLINIC_MEMBER', 'user'), 'GET /check-ins/:id', 'sameClinicShared', {
      status: 200,
    });
    expectOutcome(caller('CLINIC_MEMBER', 'user'), 'PATCH /check-ins/:id', 'sameClinicShared', {
      status: 403,
      code: 'action_denied',
    });
    expectOutcome(caller('CLINIC_MEMBER', 'user'), 'GET /check-ins?scope=tenant', 'none', {
      status: 403,
      code: 'tenancy_denied',
    });
  });

  it('/admin/* needs admin_panel AND (PLATFORM_ADMIN or tenant OWNER/ADMIN)', () => {
    expectOutcome(caller('TENANT_OWNER', 'user_pro'), 'GET /admin/users', 'none', {
      status: 403,
      code: 'feature_denied',
    });
    expectOutcome(caller('CLINIC_ADMIN', 'user_enterprise'), 'GET /admin/users', 'none', {
      status: 403,
      code: 'tenancy_denied',
    });
    expectOutcome(caller('TENANT_ADMIN', 'owner'), 'GET /admin/users/:id', 'otherTenant', {
      status: 404,
    });
    expectOutcome(caller('PLATFORM_ADMIN', 'user_free'), 'GET /admin/users/:id', 'otherTenant', {
      status: 200,
    });
  });

  it('alternatives are honoured by matches()', () => {
    const o = expectedOutcome(caller('TENANT_OWNER', 'owner'), route('POST /admin/users'), 'none');
    expect(matches(o, { status: 403, code: 'action_denied' })).toBe(true);
    expect(matches(o, { status: 403, code: 'tenancy_denied' })).toBe(true);
    expect(matches(o, { status: 201 })).toBe(false);
  });
});
