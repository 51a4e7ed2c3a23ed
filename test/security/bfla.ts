import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { addClinicMember, addTenantMember } from '../factories/tenancy';
import { createUser } from '../factories/users';
import type { TestApp } from '../harness/test-app';
import { fillPath, type SweepRoute } from './route-inventory';
import { PARAM_VALUES, uniqueEmail, validBody } from './schema-values';
import { byMethodOrder, codeOf, describeCall, send, type Call } from './sweep';
import { CALLER_NAMES, type Bundle, type Caller, type World } from './world';

/**
 * OWASP API5 (BFLA): function-level authorization, from the spec (API.md, PRODUCT.md D2/D6/D8,
 * seed 003's matrix, feature-matrix.csv), never from the implementation's rules:
 *   - `/admin/*`: PLATFORM_ADMIN; tenant OWNER/ADMIN (with admin_panel) only on the routes
 *     API.md opens to them (read-only). A new admin route defaults to PLATFORM_ADMIN only.
 *   - tenancy management (every non-GET route on tenants, clinics, memberships and seats):
 *     PLATFORM_ADMIN and tenant OWNER/ADMIN, narrowed or widened per API.md below. A new one
 *     defaults to OWNER/ADMIN.
 *   - clinical features: a tier whose level is `none` gets 403 on every route of the feature,
 *     `read` on every route that stores something (feature-matrix.csv).
 * Every caller that must not reach a route calls it on its own tenant's records (so data
 * scope cannot be what stops it) with a valid body: the answer must be 403 (or 404), never
 * 2xx, never 400 (a body error would hide the check).
 */

type Role = 'PA' | 'OWNER' | 'ADMIN' | 'CLINIC_ADMIN';

/** API.md "Admin panel": the routes tenant OWNER/ADMIN may use (their tenant, read only). */
const ADMIN_ROUTES_FOR_TENANT_ADMINS = [
  'GET /admin/users',
  'GET /admin/users/:id',
  'GET /admin/audit-log',
];

/** API.md "Tenancy": who may call each management route (PLATFORM_ADMIN may do everything). */
const TENANCY_WHO: Readonly<Record<string, readonly Role[]>> = {
  'POST /tenants': ['PA'],
  'PATCH /tenants/:id': ['PA', 'OWNER', 'ADMIN'],
  'DELETE /tenants/:id': ['PA', 'OWNER'],
  'POST /tenants/:id/members': ['PA', 'OWNER', 'ADMIN'],
  'PATCH /tenants/:id/members/:userId': ['PA'],
  'DELETE /tenants/:id/members/:userId': ['PA', 'OWNER', 'ADMIN'],
  'PUT /tenants/:id/seats/:userId': ['PA', 'OWNER', 'ADMIN'],
  'DELETE /tenants/:id/seats/:userId': ['PA', 'OWNER', 'ADMIN'],
  'POST /tenants/:id/clinics': ['PA', 'OWNER', 'ADMIN'],
  'PATCH /clinics/:id': ['PA', 'OWNER', 'ADMIN', 'CLINIC_ADMIN'],
  'DELETE /clinics/:id': ['PA', 'OWNER', 'ADMIN'],
  'POST /clinics/:id/members': ['PA', 'OWNER', 'ADMIN', 'CLINIC_ADMIN'],
  'PATCH /clinics/:id/members/:userId': ['PA', 'OWNER', 'ADMIN'],
  'DELETE /clinics/:id/members/:userId': ['PA', 'OWNER', 'ADMIN', 'CLINIC_ADMIN'],
};
const DEFAULT_TENANCY_WHO: readonly Role[] = ['PA', 'OWNER', 'ADMIN'];
const TENANCY_PREFIXES = ['/tenants', '/clinics'];

/** Field-level functions inside a route (API.md): only these roles may send the body. */
const VARIANTS: readonly {
  key: string;
  body: () => Record<string, unknown>;
  who: readonly Role[];
  label: string;
}[] = [
  { key: 'PATCH /tenants/:id', body: () => ({ seatLimit: 50 }), who: ['PA'], label: 'seatLimit' },
  {
    key: 'POST /tenants/:id/members',
    body: () => ({ email: uniqueEmail(), role: 'ADMIN' }),
    who: ['PA'],
    label: 'role ADMIN',
  },
  {
    key: 'POST /tenants/:id/members',
    body: () => ({ email: uniqueEmail(), role: 'OWNER' }),
    who: ['PA'],
    label: 'role OWNER',
  },
  {
    key: 'POST /clinics/:id/members',
    body: () => ({ userId: '', role: 'ADMIN' }),
    who: ['PA', 'OWNER', 'ADMIN'],
    label: 'role ADMIN',
  },
];

/** API.md "Clinical features": the routes of each feature, by first path segment. */
const FEATURE_OF_SEGMENT: Readonly<Record<string, string>> = {
  patients: 'wellness_journey',
  sessions: 'session_vitals',
  assessments: 'baseline_assessments',
  dashboard: 'multi_patient_dashboard',
  protocols: 'protocol_builder',
  exports: 'data_export',
  analytics: 'analytics',
  benchmarks: 'benchmark_intel',
  admin: 'admin_panel',
};
/** Computations that store nothing: open to `read` tiers (API.md). */
const COMPUTATIONS = ['POST /protocols/dose-calculation', 'POST /protocols/interaction-check'];

type Levels = Record<string, Record<string, string>>;
function loadFeatureMatrix(): Levels {
  const [header, ...lines] = readFileSync(join(__dirname, '../fixtures/feature-matrix.csv'), 'utf8')
    .trim()
    .split('\n');
  const tiers = (header ?? '').split(',').slice(1);
  const levels: Levels = {};
  for (const line of lines) {
    const [feature, ...cells] = line.split(',');
    levels[feature ?? ''] = Object.fromEntries(tiers.map((tier, i) => [tier, cells[i] ?? 'none']));
  }
  return levels;
}

function rolesOf(c: Caller): Role[] {
  const roles: Role[] = [];
  if (c.platformAdmin) roles.push('PA');
  if (c.tenantRole === 'OWNER' || c.tenantRole === 'ADMIN') roles.push(c.tenantRole);
  if (c.clinicRole === 'ADMIN') roles.push('CLINIC_ADMIN');
  return roles;
}

export interface BflaResult {
  readonly routes: Set<string>;
  cases: number;
  readonly byKind: Record<'admin' | 'tenancy' | 'feature', number>;
  readonly failures: string[];
}

export async function runBflaSweep(
  t: TestApp,
  world: World,
  routes: readonly SweepRoute[],
): Promise<BflaResult> {
  const result: BflaResult = {
    routes: new Set(),
    cases: 0,
    byKind: { admin: 0, tenancy: 0, feature: 0 },
    failures: [],
  };
  const levels = loadFeatureMatrix();
  // Targets inside the callers' own tenant: a MEMBER of T1 in C1a (victim) and one in no clinic.
  const victim = await createUser(world.ds, { tier: 'user_pro' });
  await addTenantMember(world.ds, world.t1, victim.id, 'MEMBER');
  await addClinicMember(world.ds, world.t1, world.c1a, victim.id, 'MEMBER');
  const outsider = await createUser(world.ds, { tier: 'user_pro' });
  await addTenantMember(world.ds, world.t1, outsider.id, 'MEMBER');

  const callers = CALLER_NAMES.map((n) => world.callers[n]);
  const targetsFor = (caller: Caller): Bundle => ({
    ...caller.home,
    tenant: world.t1,
    clinic: world.c1a,
    user: victim.id,
    secrets: [],
  });

  const expectDenied = async (
    kind: 'admin' | 'tenancy' | 'feature',
    route: SweepRoute,
    caller: Caller,
    call: Call,
    why: string,
  ) => {
    result.routes.add(route.key);
    result.cases += 1;
    result.byKind[kind] += 1;
    const answer = await send(t, call);
    const ok = answer.status === 403 || answer.status === 404;
    if (!ok) {
      result.failures.push(
        `${caller.name} (${why}): ${describeCall(call)} → ${answer.status} ${JSON.stringify(answer.body)}; expected 403/404`,
      );
    } else if (
      kind === 'feature' &&
      !(answer.status === 403 && codeOf(answer) === 'feature_denied')
    ) {
      result.failures.push(
        `${caller.name} (${why}): ${describeCall(call)} → ${answer.status} ${String(codeOf(answer))}; expected 403 feature_denied`,
      );
    }
  };

  const callFor = (
    route: SweepRoute,
    caller: Caller,
    body?: Record<string, unknown>,
  ): Call | null => {
    const refs = targetsFor(caller);
    const values: Record<string, string> = {};
    for (const p of route.pathParams) {
      let value: string | undefined = PARAM_VALUES[p];
      if (p === 'userId') value = refs.user;
      else if (p === 'eventId') value = caller.home.event;
      else if (p === 'id') {
        value = route.path.startsWith('/tenants')
          ? refs.tenant
          : route.path.startsWith('/clinics')
            ? refs.clinic
            : homeId(route, caller);
      }
      if (!value) return null;
      values[p] = value;
    }
    let payload = body ?? validBody(route, refs);
    if (route.key === 'POST /clinics/:id/members' && payload)
      payload = { ...payload, userId: outsider.id };
    return {
      method: route.method,
      path: fillPath(route.path, values),
      token: caller.token,
      body: payload,
    };
  };

  for (const route of byMethodOrder(routes)) {
    if (route.access === 'public') continue;
    const segment = route.path.split('/')[1] ?? '';
    const isTenancy =
      route.method !== 'GET' && TENANCY_PREFIXES.some((p) => route.path.startsWith(p));
    const feature = FEATURE_OF_SEGMENT[segment];
    if (feature && route.rule?.feature !== feature && route.rule?.feature !== undefined) {
      result.failures.push(
        `${route.key} declares feature ${String(route.rule?.feature)}; API.md puts it under ${feature}`,
      );
    }
    for (const caller of callers) {
      const roles = rolesOf(caller);
      if (route.isAdmin) {
        const allowed =
          roles.includes('PA') ||
          (ADMIN_ROUTES_FOR_TENANT_ADMINS.includes(route.key) &&
            (roles.includes('OWNER') || roles.includes('ADMIN')) &&
            levels.admin_panel?.[caller.tier] !== 'none');
        if (!allowed) {
          const call = callFor(route, caller);
          if (call)
            await expectDenied(
              'admin',
              route,
              caller,
              call,
              'not PLATFORM_ADMIN nor an allowed tenant admin',
            );
        }
      } else if (isTenancy) {
        const who = TENANCY_WHO[route.key] ?? DEFAULT_TENANCY_WHO;
        if (!who.some((r) => roles.includes(r))) {
          const call = callFor(route, caller);
          if (call) await expectDenied('tenancy', route, caller, call, `needs ${who.join('/')}`);
        }
        for (const variant of VARIANTS.filter((v) => v.key === route.key)) {
          if (variant.who.some((r) => roles.includes(r)) || !who.some((r) => roles.includes(r)))
            continue;
          let body = variant.body();
          if (route.key === 'POST /clinics/:id/members') body = { ...body, userId: outsider.id };
          const call = callFor(route, caller, body);
          if (call)
            await expectDenied(
              'tenancy',
              route,
              caller,
              call,
              `${variant.label} needs ${variant.who.join('/')}`,
            );
        }
      }
      if (feature && feature !== 'admin_panel' && !caller.platformAdmin) {
        const level = levels[feature]?.[caller.tier] ?? 'none';
        const stores = route.method !== 'GET' && !COMPUTATIONS.includes(route.key);
        if (level === 'none' || (level === 'read' && stores)) {
          const call = callFor(route, caller);
          if (call)
            await expectDenied(
              'feature',
              route,
              caller,
              call,
              `${caller.tier} has ${feature} at ${level}`,
            );
        }
      }
    }
  }
  return result;
}

/** The caller's own record for a route's `:id` (own patient, session, protocol, check-in). */
function homeId(route: SweepRoute, caller: Caller): string | undefined {
  const resource = route.path.split('/')[1];
  const byResource: Record<string, string | undefined> = {
    patients: caller.home.patient,
    sessions: caller.home.session,
    protocols: caller.home.protocol,
    'check-ins': caller.home.checkIn,
    admin: caller.home.user,
  };
  return resource ? byResource[resource] : undefined;
}
