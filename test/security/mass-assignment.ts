import { addTenantMember } from '../factories/tenancy';
import { createUser, loginAs } from '../factories/users';
import type { TestApp } from '../harness/test-app';
import { fillPath, type SweepRoute } from './route-inventory';
import { PARAM_VALUES, validBody } from './schema-values';
import { describeCall, send, type Answer, type Call } from './sweep';
import type { Bundle, Caller, World } from './world';

/**
 * OWASP API3 (broken object property level authorization).
 * Writes: every write route is sent a valid body plus one forbidden field at a time → 400
 * validation_failed naming the field (API.md: unknown fields are rejected, never ignored).
 * Reads: no response carries a credential (password hash, token hash) or another user's email
 * outside the routes whose purpose is to list people.
 */

export const FORBIDDEN_FIELDS = [
  'isTest',
  'ownerId',
  'tenantId',
  'platformRole',
  'tier',
  'id',
  'subjectId',
  'createdAt',
] as const;
type ForbiddenField = (typeof FORBIDDEN_FIELDS)[number];

/** Where API.md lists one of those fields in a route's body. */
export const ALLOWED_BY_API: Readonly<Record<string, readonly ForbiddenField[]>> = {
  'POST /admin/users': ['tier', 'tenantId'],
  'PATCH /admin/users/:id': ['tier', 'platformRole'],
  'POST /admin/partners': ['tier'],
  'PUT /admin/feature-flags/:feature': ['tenantId'],
};

/** Routes whose answers name people (API.md "Admin panel", member lists). */
export const ROUTES_SHOWING_EMAILS = [
  'GET /admin/users',
  'GET /admin/users/:id',
  'GET /admin/audit-log',
  'GET /tenants/:id/members',
  'GET /clinics/:id/members',
  'GET /me',
];

const SMUGGLED: Readonly<Record<ForbiddenField, (w: World) => unknown>> = {
  isTest: () => true,
  ownerId: (w) => w.positions.otherTenant.user,
  tenantId: (w) => w.t2,
  platformRole: () => 'PLATFORM_ADMIN',
  tier: () => 'admin',
  id: () => '00000000-0000-4000-8000-00000000a11d',
  subjectId: () => 'TEST-SMUGGLED01',
  createdAt: () => '2000-01-01T00:00:00.000Z',
};

export interface MassAssignmentResult {
  readonly routes: Set<string>;
  cases: number;
  readonly failures: string[];
}

export interface Targets {
  readonly victim: string;
  readonly outsider: string;
  /** A session of its own for routes that end sessions (logout). */
  readonly spareToken: string;
}

export async function createTargets(t: TestApp, world: World): Promise<Targets> {
  const victim = await createUser(world.ds, { tier: 'user_pro' });
  await addTenantMember(world.ds, world.t1, victim.id, 'MEMBER');
  const outsider = await createUser(world.ds, { tier: 'user_pro' });
  await addTenantMember(world.ds, world.t1, outsider.id, 'MEMBER');
  const spareToken = await loginAs(t, await createUser(world.ds));
  return { victim: victim.id, outsider: outsider.id, spareToken };
}

/** A caller the route admits (so validation, not the guard, answers) and its path values. */
export function routeCall(
  route: SweepRoute,
  world: World,
  targets: Targets,
  body?: unknown,
): Call | null {
  const caller: Caller =
    route.isAdmin || route.key === 'POST /tenants'
      ? world.callers.platformAdmin
      : world.callers.owner;
  const refs: Bundle = {
    ...caller.home,
    tenant: world.t1,
    clinic: world.c1a,
    user: targets.outsider,
    secrets: [],
  };
  const values: Record<string, string> = {};
  for (const p of route.pathParams) {
    let value: string | undefined = PARAM_VALUES[p];
    if (p === 'userId') value = targets.victim;
    else if (p === 'eventId') value = refs.event;
    else if (p === 'id') {
      const resource = route.path.split('/')[1] ?? '';
      const byResource: Record<string, string | undefined> = {
        tenants: world.t1,
        clinics: world.c1a,
        patients: refs.patient,
        sessions: refs.session,
        protocols: refs.protocol,
        'check-ins': refs.checkIn,
        admin: targets.victim,
      };
      value = byResource[resource];
    }
    if (!value) return null;
    values[p] = value;
  }
  return {
    method: route.method,
    path: fillPath(route.path, values),
    token: route.access === 'public' ? undefined : caller.token,
    body: body ?? validBody(route, refs),
  };
}

const namesField = (a: Answer, field: string): boolean => {
  const details =
    (a.body as { details?: { field?: string; message?: string }[] } | null)?.details ?? [];
  return details.some((d) => d.field === field || (d.message ?? '').includes(field));
};

export async function runMassAssignmentSweep(
  t: TestApp,
  world: World,
  routes: readonly SweepRoute[],
  targets: Targets,
): Promise<MassAssignmentResult> {
  const result: MassAssignmentResult = { routes: new Set(), cases: 0, failures: [] };
  for (const route of routes) {
    // A route without a body DTO assigns nothing from the body.
    if (!['POST', 'PUT', 'PATCH'].includes(route.method) || !route.body) continue;
    const allowed = ALLOWED_BY_API[route.key] ?? [];
    const declared = Object.keys(route.body?.properties ?? {});
    for (const field of FORBIDDEN_FIELDS) {
      if (allowed.includes(field)) continue;
      if (declared.includes(field)) {
        result.failures.push(
          `${route.key}: the body DTO declares ${field}, which API.md does not list for this route`,
        );
        continue;
      }
      const base = routeCall(route, world, targets);
      if (!base) {
        result.failures.push(`${route.key}: no target for its path parameters`);
        break;
      }
      const body = {
        ...((base.body as Record<string, unknown> | undefined) ?? {}),
        [field]: SMUGGLED[field](world),
      };
      // Logout would end the shared callers' sessions: it gets a throwaway user of its own.
      const token =
        route.path.startsWith('/auth/') && route.access === 'authenticated'
          ? targets.spareToken
          : base.token;
      const call = { ...base, body, token };
      result.routes.add(route.key);
      result.cases += 1;
      const answer = await send(t, call);
      const code = (answer.body as { code?: string } | null)?.code;
      if (answer.status !== 400 || code !== 'validation_failed' || !namesField(answer, field)) {
        result.failures.push(
          `${describeCall(call)} → ${answer.status} ${JSON.stringify(answer.body)}; expected 400 validation_failed naming ${field}`,
        );
      }
    }
  }
  return result;
}

const CREDENTIAL_KEY = /(password|hash|secret|salt|privateKey)/i;

function credentialKeys(value: unknown, path = ''): string[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => credentialKeys(v, `${path}[${i}]`));
  if (value && typeof value === 'object') {
    return Object.entries(value).flatMap(([k, v]) => [
      ...(CREDENTIAL_KEY.test(k) ? [`${path}.${k}`] : []),
      ...credentialKeys(v, `${path}.${k}`),
    ]);
  }
  return [];
}

export interface ExposureResult {
  cases: number;
  readonly routes: Set<string>;
  readonly failures: string[];
}

/** Every GET route, as every caller: no credential, no other user's email where not allowed. */
export async function runExposureSweep(
  t: TestApp,
  world: World,
  routes: readonly SweepRoute[],
  targets: Targets,
): Promise<ExposureResult> {
  const result: ExposureResult = { cases: 0, routes: new Set(), failures: [] };
  const users = await world.ds.query<{ id: string; email: string; password_hash: string | null }[]>(
    `SELECT id, email, password_hash FROM users`,
  );
  const tokenHashes = await world.ds.query<{ h: string }[]>(
    `SELECT encode(token_hash, 'hex') AS h FROM refresh_tokens UNION ALL SELECT encode(token_hash, 'base64') FROM refresh_tokens
     UNION ALL SELECT encode(token_hash, 'hex') FROM link_tokens UNION ALL SELECT encode(token_hash, 'base64') FROM link_tokens`,
  );
  const credentials = [
    ...users.map((u) => u.password_hash).filter((h): h is string => !!h),
    ...tokenHashes.map((r) => r.h),
  ];
  for (const route of routes) {
    if (route.method !== 'GET' || route.path.startsWith('/docs')) continue;
    for (const caller of Object.values(world.callers)) {
      const base = routeCall(route, world, targets);
      if (!base) continue;
      const call: Call = {
        ...base,
        token: route.access === 'public' ? undefined : caller.token,
        body: undefined,
      };
      const answer = await send(t, call);
      result.cases += 1;
      result.routes.add(route.key);
      const where = `${caller.name}: ${describeCall(call)} → ${answer.status}`;
      const keys = credentialKeys(answer.body);
      if (keys.length) result.failures.push(`${where}: credential-like keys ${keys.join(', ')}`);
      const leaked = credentials.filter((c) => answer.text.includes(c));
      if (leaked.length)
        result.failures.push(`${where}: carries ${leaked.length} stored credential hash(es)`);
      if (!ROUTES_SHOWING_EMAILS.includes(route.key)) {
        const emails = users.filter(
          (u) => u.id !== caller.user.id && answer.text.toLowerCase().includes(u.email),
        );
        if (emails.length)
          result.failures.push(
            `${where}: carries other users' emails ${emails.map((u) => u.email).join(', ')}`,
          );
      }
    }
  }
  return result;
}
