/**
 * The e2e test kit: everything a Jest suite needs to exercise this API the way a client
 * team does (docs/test-kit.md). Suites import only from here; what is not exported is
 * internal and may change.
 *
 * Needs the e2e harness (jest.config.js, project `e2e`: its globalSetup migrates a template
 * database once per run; each app gets its own clone).
 */
import type { Response } from 'supertest';
import request from 'supertest';
import { PLATFORM_ADMIN, PLATFORM_ROLES } from '../../src/abilities/platform-roles';
import {
  CLINIC_ROLES,
  type ClinicRole,
  TENANT_ROLES,
  type TenantRole,
} from '../../src/abilities/tenancy-roles';
import { TIERS, type Tier } from '../../src/abilities/tiers';
import { ERROR_CODES, type ErrorCode, FORBIDDEN_CODES } from '../../src/common/errors/error-codes';
import {
  addClinicMember,
  addTenantMember,
  createClinic,
  createTenant,
  type TestClinic,
  type TestTenant,
} from '../factories/tenancy';
import { createUser, loginPair, type TestUser } from '../factories/users';
import { startTestApp, type StartTestAppOptions, type TestApp } from '../harness/test-app';

export { CLINIC_ROLES, ERROR_CODES, FORBIDDEN_CODES, PLATFORM_ROLES, TENANT_ROLES, TIERS };
export type { ClinicRole, ErrorCode, TenantRole, TestClinic, TestTenant, Tier };

/** A running app on its own database, cloned from the migrated template. */
export type KitApp = TestApp;

export interface KitAppOptions {
  /** Environment overrides, e.g. `{ METRICS_TOKEN: '…' }`. */
  readonly env?: Record<string, string>;
}

/**
 * Starts the real application (every module, guard and filter) in process on a fresh
 * database of its own. Call `close()` in afterAll: it stops the app and drops the database.
 */
export async function startKitApp(options: KitAppOptions = {}): Promise<KitApp> {
  const harnessOptions: StartTestAppOptions = { env: options.env };
  return startTestApp(harnessOptions);
}

/** Who to create: a tier on the feature axis, and optionally roles on the tenancy axis. */
export interface RoleSpec {
  readonly tier: Tier;
  /** users.platform_role = PLATFORM_ADMIN (operates the platform; separate from tiers). */
  readonly platformAdmin?: boolean;
  /** Membership of a tenant (created unless `tenant` is given). */
  readonly tenantRole?: TenantRole;
  /** Membership of a clinic (created in the tenant unless `clinic` is given); implies tenant MEMBER. */
  readonly clinicRole?: ClinicRole;
  /** Join this tenant instead of a new one (to put several users in one organisation). */
  readonly tenant?: TestTenant;
  /** Join this clinic instead of a new one (its tenant is used). */
  readonly clinic?: TestClinic;
  readonly email?: string;
  /** A time-boxed tier (past = expired: features answer 403 role_expired). */
  readonly tierExpiresAt?: Date;
}

export interface KitUser {
  readonly id: string;
  readonly email: string;
  readonly password: string;
  readonly tier: Tier;
  readonly platformAdmin: boolean;
  readonly tenant: TestTenant | null;
  readonly tenantRole: TenantRole | null;
  readonly clinic: TestClinic | null;
  readonly clinicRole: ClinicRole | null;
}

/**
 * A user of any tier × tenancy role, inserted directly (fast, no mail). Creates the tenant
 * and clinic it needs; pass `tenant` / `clinic` from an earlier user to share them.
 */
export async function createUserWithRole(app: KitApp, spec: RoleSpec): Promise<KitUser> {
  const ds = app.dataSource;
  const user: TestUser = await createUser(ds, {
    tier: spec.tier,
    platformRole: spec.platformAdmin ? PLATFORM_ADMIN : null,
    email: spec.email,
    tierExpiresAt: spec.tierExpiresAt ?? null,
  });
  const clinicRole = spec.clinicRole ?? (spec.clinic ? 'MEMBER' : null);
  const tenantRole = spec.tenantRole ?? (clinicRole ? 'MEMBER' : null);
  let tenant: TestTenant | null = null;
  let clinic: TestClinic | null = null;
  if (tenantRole) {
    tenant =
      spec.tenant ??
      (spec.clinic ? { id: spec.clinic.tenantId, name: '' } : await createTenant(ds));
    await addTenantMember(ds, tenant.id, user.id, tenantRole);
  }
  if (clinicRole && tenant) {
    clinic = spec.clinic ?? (await createClinic(ds, tenant.id));
    await addClinicMember(ds, tenant.id, clinic.id, user.id, clinicRole);
  }
  return {
    id: user.id,
    email: user.email,
    password: user.password ?? '',
    tier: user.tier,
    platformAdmin: spec.platformAdmin === true,
    tenant,
    tenantRole,
    clinic,
    clinicRole,
  };
}

/** A supertest agent that sends `Authorization: Bearer <access token>` with every request. */
export type AuthenticatedAgent = ReturnType<typeof request.agent> & {
  readonly user: KitUser;
  readonly accessToken: string;
  readonly refreshToken: string;
};

/**
 * Logs in through POST /auth/login (the real route) and returns an agent carrying the token.
 * Pass a user from createUserWithRole, or a RoleSpec to create one on the way.
 */
export async function loginAs(app: KitApp, who: KitUser | RoleSpec): Promise<AuthenticatedAgent> {
  const user = 'id' in who ? who : await createUserWithRole(app, who);
  const pair = await loginPair(app, {
    id: user.id,
    email: user.email,
    password: user.password,
    tier: user.tier,
  });
  const agent = request
    .agent(app.app.getHttpServer())
    .set('Authorization', `Bearer ${pair.accessToken}`);
  return Object.assign(agent, {
    user,
    accessToken: pair.accessToken,
    refreshToken: pair.refreshToken,
  });
}

/** An agent without credentials (for public routes and 401 checks). */
export function anonymous(app: KitApp): ReturnType<typeof request.agent> {
  return request.agent(app.app.getHttpServer());
}

const describeResponse = (res: Response): string =>
  `${res.status} ${JSON.stringify(res.body ?? res.text).slice(0, 500)}`;

/** Asserts a 2xx answer and returns its body; the failure message shows the error body. */
export function expectAllowed<T = unknown>(res: Response): T {
  if (res.status < 200 || res.status > 299) {
    throw new Error(`expected a 2xx answer, got ${describeResponse(res)}`);
  }
  return res.body as T;
}

/** The HTTP status each denial code comes with (API.md). */
export function statusOfCode(code: ErrorCode): number {
  if ((FORBIDDEN_CODES as readonly string[]).includes(code)) return 403;
  switch (code) {
    case 'unauthenticated':
      return 401;
    case 'not_found':
      return 404;
    case 'validation_failed':
      return 400;
    case 'conflict':
      return 409;
    case 'rate_limited':
      return 429;
    case 'payload_too_large':
      return 413;
    case 'unsupported_media_type':
      return 415;
    case 'service_unavailable':
      return 503;
    default:
      return 500;
  }
}

/**
 * Asserts a denial with this `code` and its status (403 for feature_disabled, role_expired,
 * feature_denied, tenancy_denied, action_denied, tier_limit_reached; 401 unauthenticated;
 * 404 not_found — out of scope looks like missing). Returns the error body.
 */
export function expectDenied(res: Response, code: ErrorCode): Record<string, unknown> {
  const body = (res.body ?? {}) as Record<string, unknown>;
  if (res.status !== statusOfCode(code) || body.code !== code) {
    throw new Error(`expected ${statusOfCode(code)} ${code}, got ${describeResponse(res)}`);
  }
  return body;
}
