import { randomBytes, randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { ClinicRole, TenantRole } from '../../src/abilities/tenancy-roles';
import type { Tier } from '../../src/abilities/tiers';
import { createPatient, createSession } from '../factories/clinical';
import { addClinicMember, addTenantMember, createClinic, createTenant } from '../factories/tenancy';
import { createUser, loginAs, type TestUser } from '../factories/users';
import type { TestApp } from '../harness/test-app';

/**
 * The fixed world the security sweeps attack. Tenant T1 (clinics C1a, C1b) is home to the
 * callers; tenant T2 (clinic C2a) is foreign. Each *position* is a bundle of records of one
 * owner (a patient, its session and adverse event, a protocol, a check-in, the owner's user,
 * tenant and clinic), inserted as the owner role so no route under test builds them:
 *   otherTenant — owner U2 in T2/C2a;        otherClinic — owner X in T1/C1b;
 *   otherOwner  — owner Y in T1, no clinic;  solo — owner S with no tenant;
 *   test        — partner P2 in T1, test records (is_test, TEST- subject id).
 * Every caller also has a `home` bundle of its own records (for body references and mixed
 * requests: own session + foreign event, own tenant + foreign user).
 */

export const RECORD_KINDS = [
  'tenant',
  'clinic',
  'user',
  'patient',
  'session',
  'event',
  'protocol',
  'checkIn',
] as const;
export type RecordKind = (typeof RECORD_KINDS)[number];

export type Bundle = Partial<Record<RecordKind, string>> & {
  /** Every value of the bundle that must never reach a caller outside its scope. */
  readonly secrets: readonly string[];
};

export const POSITIONS = ['otherTenant', 'otherClinic', 'otherOwner', 'solo', 'test'] as const;
export type Position = (typeof POSITIONS)[number];

export const CALLER_NAMES = [
  'platformAdmin',
  'owner',
  'tenantAdmin',
  'clinicAdmin',
  'clinicMember',
  'member',
  'adminTier',
  'solo',
  'partner',
  'observer',
] as const;
export type CallerName = (typeof CALLER_NAMES)[number];

export interface Caller {
  readonly name: CallerName;
  readonly user: TestUser;
  readonly token: string;
  readonly tier: Tier;
  readonly platformAdmin: boolean;
  readonly tenantRole: TenantRole | null;
  readonly clinicRole: ClinicRole | null;
  readonly partner: boolean;
  readonly home: Bundle;
}

export interface World {
  readonly t1: string;
  readonly t2: string;
  readonly c1a: string;
  readonly c1b: string;
  readonly c2a: string;
  readonly callers: Readonly<Record<CallerName, Caller>>;
  readonly positions: Readonly<Record<Position, Bundle>>;
  /** Owner connection: read rows back without RLS. */
  readonly ds: DataSource;
}

const marker = (label: string): string => `${label}-${randomBytes(6).toString('hex')}`;

interface RecordPlacement {
  readonly tenantId: string | null;
  readonly clinicId: string | null;
  readonly isTest: boolean;
}

/** A patient, session, adverse event, protocol and check-in of `owner`, as the owner role. */
async function recordsOf(ds: DataSource, owner: TestUser, at: RecordPlacement): Promise<Bundle> {
  const patient = await createPatient(ds, {
    ownerId: owner.id,
    tenantId: at.tenantId,
    clinicId: at.isTest ? null : at.clinicId,
    isTest: at.isTest,
    substance: 'ibogaine',
    medications: [marker('med')],
  });
  const session = await createSession(ds, patient.id);
  const description = marker('event');
  const [event] = await ds.query<{ id: string }[]>(
    `INSERT INTO adverse_events (tenant_id, session_id, patient_id, occurred_at, description, severity, created_by)
     SELECT tenant_id, id, patient_id, now(), $2, 'mild', created_by FROM treatment_sessions WHERE id = $1
     RETURNING id`,
    [session, description],
  );
  const protocolName = marker('protocol');
  const [protocol] = await ds.query<{ id: string }[]>(
    `INSERT INTO protocols (tenant_id, owner_id, is_test, name, substance, ceiling_mg_per_kg)
     VALUES ($1, $2, $3, $4, 'ibogaine', 25) RETURNING id`,
    [at.tenantId, owner.id, at.isTest, protocolName],
  );
  const note = marker('note');
  const [checkIn] = await ds.query<{ id: string }[]>(
    `INSERT INTO check_ins (tenant_id, author_id, mood, note, is_private) VALUES ($1, $2, 6, $3, FALSE) RETURNING id`,
    [at.tenantId, owner.id, note],
  );
  if (at.tenantId && at.clinicId) {
    await ds.query(
      `INSERT INTO check_in_shares (tenant_id, check_in_id, clinic_id) VALUES ($1, $2, $3)`,
      [at.tenantId, checkIn?.id, at.clinicId],
    );
  }
  const ids = {
    user: owner.id,
    patient: patient.id,
    session,
    event: event?.id ?? '',
    protocol: protocol?.id ?? '',
    checkIn: checkIn?.id ?? '',
  };
  return {
    ...ids,
    ...(at.tenantId ? { tenant: at.tenantId } : {}),
    ...(at.clinicId ? { clinic: at.clinicId } : {}),
    secrets: [
      ...Object.values(ids),
      patient.subjectId,
      owner.email,
      description,
      protocolName,
      note,
    ],
  };
}

interface CallerSpec {
  readonly tier: Tier;
  readonly platformAdmin?: boolean;
  readonly tenantRole?: TenantRole;
  readonly clinic?: 'c1a';
  readonly clinicRole?: ClinicRole;
}

/** Tenant roles use user_enterprise (admin_panel full): only tenancy may stop them (D8). */
const CALLER_SPECS: Readonly<Record<CallerName, CallerSpec>> = {
  platformAdmin: { tier: 'admin', platformAdmin: true },
  owner: { tier: 'user_enterprise', tenantRole: 'OWNER' },
  tenantAdmin: { tier: 'user_enterprise', tenantRole: 'ADMIN' },
  clinicAdmin: {
    tier: 'user_enterprise',
    tenantRole: 'MEMBER',
    clinic: 'c1a',
    clinicRole: 'ADMIN',
  },
  clinicMember: {
    tier: 'user_enterprise',
    tenantRole: 'MEMBER',
    clinic: 'c1a',
    clinicRole: 'MEMBER',
  },
  member: { tier: 'user_enterprise', tenantRole: 'MEMBER' },
  // D2: tier `admin` unlocks every feature but is not platform administration.
  adminTier: { tier: 'admin', tenantRole: 'MEMBER', clinic: 'c1a', clinicRole: 'MEMBER' },
  solo: { tier: 'user_pro' },
  partner: { tier: 'partner_paid', tenantRole: 'MEMBER', clinic: 'c1a', clinicRole: 'MEMBER' },
  observer: { tier: 'beta_observer', tenantRole: 'MEMBER' },
};

const PARTNER_TIERS: readonly Tier[] = ['partner', 'partner_free', 'partner_paid', 'beta_observer'];

export async function buildWorld(t: TestApp): Promise<World> {
  const ds = t.dataSource;
  const T1 = await createTenant(ds, { name: marker('tenant-home'), seatLimit: 5 });
  const T2 = await createTenant(ds, { name: marker('tenant-foreign'), seatLimit: 5 });
  const C1a = await createClinic(ds, T1.id, { name: marker('clinic-home') });
  const C1b = await createClinic(ds, T1.id, { name: marker('clinic-other') });
  const C2a = await createClinic(ds, T2.id, { name: marker('clinic-foreign') });

  const member = async (
    tier: Tier,
    tenantId: string,
    role: TenantRole,
    clinicId?: string,
    clinicRole?: ClinicRole,
  ) => {
    const user = await createUser(ds, {
      tier,
      ...(tier === 'beta_observer' ? { tierExpiresAt: new Date(Date.now() + 86_400_000) } : {}),
    });
    await addTenantMember(ds, tenantId, user.id, role);
    if (clinicId) await addClinicMember(ds, tenantId, clinicId, user.id, clinicRole ?? 'MEMBER');
    return user;
  };
  const u2 = await member('user_pro', T2.id, 'MEMBER', C2a.id);
  const x = await member('user_pro', T1.id, 'MEMBER', C1b.id);
  const y = await member('user_pro', T1.id, 'MEMBER');
  const s = await createUser(ds, { tier: 'user_pro' });
  const p2 = await member('partner_paid', T1.id, 'MEMBER');

  const withNames = (b: Bundle, ...names: string[]): Bundle => ({
    ...b,
    secrets: [...b.secrets, ...names],
  });
  const positions: Record<Position, Bundle> = {
    otherTenant: withNames(
      await recordsOf(ds, u2, { tenantId: T2.id, clinicId: C2a.id, isTest: false }),
      T2.name,
      C2a.name,
    ),
    otherClinic: await recordsOf(ds, x, { tenantId: T1.id, clinicId: C1b.id, isTest: false }),
    otherOwner: await recordsOf(ds, y, { tenantId: T1.id, clinicId: null, isTest: false }),
    solo: await recordsOf(ds, s, { tenantId: null, clinicId: null, isTest: false }),
    test: await recordsOf(ds, p2, { tenantId: T1.id, clinicId: null, isTest: true }),
  };

  const callers = {} as Record<CallerName, Caller>;
  for (const name of CALLER_NAMES) {
    const spec = CALLER_SPECS[name];
    const user = spec.tenantRole
      ? await member(
          spec.tier,
          T1.id,
          spec.tenantRole,
          spec.clinic ? C1a.id : undefined,
          spec.clinicRole,
        )
      : await createUser(ds, {
          tier: spec.tier,
          platformRole: spec.platformAdmin ? 'PLATFORM_ADMIN' : null,
        });
    const partner = PARTNER_TIERS.includes(spec.tier) && !spec.platformAdmin;
    const home = await recordsOf(ds, user, {
      tenantId: spec.tenantRole ? T1.id : null,
      clinicId: spec.clinic ? C1a.id : null,
      isTest: partner,
    });
    callers[name] = {
      name,
      user,
      token: await loginAs(t, user),
      tier: spec.tier,
      platformAdmin: spec.platformAdmin === true,
      tenantRole: spec.tenantRole ?? null,
      clinicRole: spec.clinicRole ?? null,
      partner,
      home,
    };
  }
  return { t1: T1.id, t2: T2.id, c1a: C1a.id, c1b: C1b.id, c2a: C2a.id, callers, positions, ds };
}

/**
 * Is the record of `kind` at `position` inside `caller`'s scope (PRODUCT.md §2.3, API.md
 * "Tenancy"/"Check-ins", seed 003)? Written from the spec, not from the implementation.
 * Only positions and kinds the sweeps build are answered; anything else throws.
 */
export function visible(caller: Caller, kind: RecordKind, position: Position): boolean {
  if (caller.platformAdmin) return true;
  const inT1 = caller.tenantRole !== null;
  const t1Admin = caller.tenantRole === 'OWNER' || caller.tenantRole === 'ADMIN';
  const t1Position = position === 'otherClinic' || position === 'otherOwner' || position === 'test';
  switch (kind) {
    case 'patient':
    case 'session':
    case 'event':
      // Partners see only their own test rows; test rows only their owner; live T1 rows outside
      // the caller's clinic only tenant OWNER/ADMIN.
      if (caller.partner || position === 'test') return false;
      return (position === 'otherClinic' || position === 'otherOwner') && t1Admin;
    case 'protocol':
      // A tenant shares its protocol library (read) with its live members.
      if (caller.partner || position === 'test') return false;
      return (position === 'otherClinic' || position === 'otherOwner') && inT1;
    case 'checkIn':
      // Non-private check-ins: shared ones to the clinic's members, all to tenant OWNER/ADMIN.
      return t1Position && t1Admin;
    case 'tenant':
      return t1Position && inT1;
    case 'clinic':
      return t1Position && inT1;
    case 'user':
      // Users of the caller's tenant are named by membership routes; foreign ones never.
      return t1Position && inT1;
  }
}

export const missingId = (): string => randomUUID();
