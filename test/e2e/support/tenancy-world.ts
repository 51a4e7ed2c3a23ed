import type { Test } from 'supertest';
import type { Tier } from '../../../src/abilities/tiers';
import {
  addClinicMember,
  addTenantMember,
  createClinic,
  createTenant,
  type TestClinic,
  type TestTenant,
} from '../../factories/tenancy';
import { createUser, loginAs, type TestUser } from '../../factories/users';
import type { TestApp } from '../../harness/test-app';

export interface Caller extends TestUser {
  readonly token: string;
}

/** Authenticated requests as one caller (or anonymous with a null token). */
export function as(t: TestApp, token: string | null) {
  const auth = (req: Test): Test => (token ? req.set('Authorization', `Bearer ${token}`) : req);
  return {
    get: (url: string) => auth(t.http().get(url)),
    post: (url: string, body?: object) => auth(t.http().post(url)).send(body ?? {}),
    put: (url: string, body?: object) => auth(t.http().put(url)).send(body ?? {}),
    patch: (url: string, body?: object) => auth(t.http().patch(url)).send(body ?? {}),
    delete: (url: string) => auth(t.http().delete(url)),
  };
}

export async function caller(
  t: TestApp,
  tier: Tier = 'user_pro',
  platformAdmin = false,
): Promise<Caller> {
  const user = await createUser(t.dataSource, {
    tier,
    platformRole: platformAdmin ? 'PLATFORM_ADMIN' : null,
  });
  return { ...user, token: await loginAs(t, user) };
}

/**
 * Tenant T1 (seat limit 1; clinics C1, C2) and T2 (clinic C3):
 * - owner: T1 OWNER; tadmin: T1 ADMIN;
 * - cadmin: T1 MEMBER, clinic ADMIN of C1; member: T1 MEMBER of C1; c2member: T1 MEMBER of C2;
 * - loner: T1 MEMBER in no clinic; owner2: T2 OWNER; member2: T2 MEMBER of C3;
 * - solo: no tenant; admin: PLATFORM_ADMIN.
 * Their tokens stay valid only while no test changes their memberships: tests that do use
 * fresh users.
 */
export interface TenancyWorld {
  readonly t1: TestTenant;
  readonly t2: TestTenant;
  readonly c1: TestClinic;
  readonly c2: TestClinic;
  readonly c3: TestClinic;
  readonly admin: Caller;
  readonly owner: Caller;
  readonly tadmin: Caller;
  readonly cadmin: Caller;
  readonly member: Caller;
  readonly c2member: Caller;
  readonly loner: Caller;
  readonly owner2: Caller;
  readonly member2: Caller;
  readonly solo: Caller;
}

export async function buildTenancyWorld(t: TestApp): Promise<TenancyWorld> {
  const ds = t.dataSource;
  const t1 = await createTenant(ds, { name: 'T1', seatLimit: 1 });
  const t2 = await createTenant(ds, { name: 'T2' });
  const c1 = await createClinic(ds, t1.id, { name: 'C1' });
  const c2 = await createClinic(ds, t1.id, { name: 'C2' });
  const c3 = await createClinic(ds, t2.id, { name: 'C3' });
  const users = await Promise.all([
    createUser(ds, { tier: 'admin', platformRole: 'PLATFORM_ADMIN' }),
    ...Array.from({ length: 9 }, () => createUser(ds, { tier: 'user_pro' })),
  ]);
  const [, owner, tadmin, cadmin, member, c2member, loner, owner2, member2] = users;
  await addTenantMember(ds, t1.id, owner.id, 'OWNER');
  await addTenantMember(ds, t1.id, tadmin.id, 'ADMIN');
  for (const u of [cadmin, member, c2member, loner])
    await addTenantMember(ds, t1.id, u.id, 'MEMBER');
  await addTenantMember(ds, t2.id, owner2.id, 'OWNER');
  await addTenantMember(ds, t2.id, member2.id, 'MEMBER');
  await addClinicMember(ds, t1.id, c1.id, cadmin.id, 'ADMIN');
  await addClinicMember(ds, t1.id, c1.id, member.id, 'MEMBER');
  await addClinicMember(ds, t1.id, c2.id, c2member.id, 'MEMBER');
  await addClinicMember(ds, t2.id, c3.id, member2.id, 'MEMBER');
  const tokens = await Promise.all(users.map((u) => loginAs(t, u)));
  const withToken = (i: number): Caller => ({ ...users[i], token: tokens[i] });
  return {
    t1,
    t2,
    c1,
    c2,
    c3,
    admin: withToken(0),
    owner: withToken(1),
    tadmin: withToken(2),
    cadmin: withToken(3),
    member: withToken(4),
    c2member: withToken(5),
    loner: withToken(6),
    owner2: withToken(7),
    member2: withToken(8),
    solo: withToken(9),
  };
}

/** The audit rows of an action about a subject, oldest first. */
export async function auditRows(
  t: TestApp,
  action: string,
  subjectId: string,
): Promise<
  {
    actor_id: string | null;
    tenant_id: string | null;
    request_id: string | null;
    details: Record<string, unknown>;
  }[]
> {
  return t.dataSource.query(
    `SELECT actor_id, tenant_id, request_id, details FROM audit_log WHERE action = $1 AND subject_id = $2 ORDER BY created_at`,
    [action, subjectId],
  );
}

export async function tierOf(
  t: TestApp,
  userId: string,
): Promise<{ tier: string; expiresAt: Date | null }> {
  const rows: { tier: string; role_expires_at: Date | null }[] = await t.dataSource.query(
    `SELECT r.role_name AS tier, p.role_expires_at FROM user_profiles p JOIN ref_user_roles r ON r.id = p.role_id WHERE p.user_id = $1`,
    [userId],
  );
  return { tier: rows[0].tier, expiresAt: rows[0].role_expires_at };
}
