import type { PlatformRole } from '../../../src/abilities/platform-roles';
import type { Tier } from '../../../src/abilities/tiers';
import {
  insertClinic,
  insertClinicMember,
  insertTenant,
  insertTenantMember,
} from '../../factories/clinical';
import { createUser, loginAs, type TestUser } from '../../factories/users';
import type { TestApp } from '../../harness/test-app';

export interface WorldUser extends TestUser {
  readonly token: string;
}

/**
 * The people of the clinical suites: tenant T1 (clinics C1, C2) and T2 (clinic C3).
 * - owner: T1 OWNER (user_enterprise); member, colleague: T1 MEMBERs of C1 (user_pro);
 * - c2member: T1 MEMBER of C2; other: T2 MEMBER of C3;
 * - free: solo user_free (basic journey, no dashboard/analytics);
 * - partner: partner_paid in T1 (a member of C1 too, to prove live rows stay hidden);
 * - partnerFree: partner_free; observer: beta_observer (read tiers);
 * - admin: PLATFORM_ADMIN.
 */
export interface ClinicalWorld {
  readonly t1: string;
  readonly t2: string;
  readonly c1: string;
  readonly c2: string;
  readonly c3: string;
  readonly owner: WorldUser;
  readonly member: WorldUser;
  readonly colleague: WorldUser;
  readonly c2member: WorldUser;
  readonly other: WorldUser;
  readonly free: WorldUser;
  readonly partner: WorldUser;
  readonly partnerFree: WorldUser;
  readonly observer: WorldUser;
  readonly admin: WorldUser;
}

async function user(
  t: TestApp,
  tier: Tier,
  platformRole: PlatformRole | null = null,
  tierExpiresAt: Date | null = null,
): Promise<TestUser> {
  return createUser(t.dataSource, { tier, platformRole, tierExpiresAt });
}

export async function buildClinicalWorld(t: TestApp): Promise<ClinicalWorld> {
  const ds = t.dataSource;
  const t1 = await insertTenant(ds, 'T1');
  const t2 = await insertTenant(ds, 'T2');
  const c1 = await insertClinic(ds, t1, 'C1');
  const c2 = await insertClinic(ds, t1, 'C2');
  const c3 = await insertClinic(ds, t2, 'C3');
  const users = {
    owner: await user(t, 'user_enterprise'),
    member: await user(t, 'user_pro'),
    colleague: await user(t, 'user_pro'),
    c2member: await user(t, 'user_pro'),
    other: await user(t, 'user_pro'),
    free: await user(t, 'user_free'),
    partner: await user(t, 'partner_paid'),
    partnerFree: await user(t, 'partner_free'),
    observer: await user(t, 'beta_observer', null, new Date(Date.now() + 7 * 86_400_000)),
    admin: await user(t, 'admin', 'PLATFORM_ADMIN'),
  };
  await insertTenantMember(ds, t1, users.owner.id, 'OWNER');
  for (const u of [users.member, users.colleague, users.c2member, users.partner])
    await insertTenantMember(ds, t1, u.id, 'MEMBER');
  await insertTenantMember(ds, t2, users.other.id, 'MEMBER');
  for (const u of [users.member, users.colleague, users.partner])
    await insertClinicMember(ds, t1, c1, u.id, 'MEMBER');
  await insertClinicMember(ds, t1, c2, users.c2member.id, 'MEMBER');
  await insertClinicMember(ds, t2, c3, users.other.id, 'MEMBER');
  const entries = await Promise.all(
    Object.entries(users).map(
      async ([name, u]) => [name, { ...u, token: await loginAs(t, u) }] as const,
    ),
  );
  return {
    t1,
    t2,
    c1,
    c2,
    c3,
    ...(Object.fromEntries(entries) as Record<keyof typeof users, WorldUser>),
  };
}

export function bearer(u: WorldUser): [string, string] {
  return ['Authorization', `Bearer ${u.token}`];
}
