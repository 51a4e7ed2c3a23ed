import type { Tier } from '../../src/abilities/tiers';
import type { ClinicRole, TenantRole } from '../../src/abilities/tenancy-roles';

/**
 * The benchmark dataset as pure functions of an index: the generator streams every table
 * from them (no table needs another held in memory, so 1M patients and 10M vitals stream in
 * constant memory) and the benchmarks find their callers and targets from the same layout.
 *
 * Shape (PRODUCT.md §2.3 scopes, every tier, every tenancy role, test and live rows):
 * - tenants of ~1,000 patients each (1,000 tenants at 1M patients), so a caller's scope has
 *   the same size at every scale and the scale curve measures the database, not the scope;
 * - per tenant: an OWNER, an ADMIN, CLINICS_PER_TENANT clinics each with a clinic ADMIN and
 *   MEMBERS_PER_CLINIC members, a MEMBER without a clinic and a partner-tier MEMBER whose
 *   patients are test rows;
 * - solo practitioners (no tenant) cycling through every tier, with SOLO_SHARE of the patients;
 * - one PLATFORM_ADMIN;
 * - per patient: one treatment session with VITALS_PER_PATIENT vitals, two assessments.
 */
export const PATIENTS_PER_TENANT = 1000;
export const CLINICS_PER_TENANT = 5;
export const MEMBERS_PER_CLINIC = 4;
export const VITALS_PER_PATIENT = 10;
export const ASSESSMENTS_PER_PATIENT = 2;
export const SOLO_SHARE = 0.02;
/** Per mille of a tenant's patients: test rows of its partner, live rows without a clinic. */
const TEST_PER_MILLE = 60;
const NO_CLINIC_PER_MILLE = 30;
const ARCHIVED_PER_MILLE = 10;

/** Users of a tenant: OWNER, ADMIN, clinics × (ADMIN + members), a clinic-less MEMBER, a partner. */
export const USERS_PER_TENANT = 2 + CLINICS_PER_TENANT * (1 + MEMBERS_PER_CLINIC) + 2;
const K_OWNER = 0;
const K_ADMIN = 1;
const K_FIRST_CLINIC = 2;
const K_NO_CLINIC = K_FIRST_CLINIC + CLINICS_PER_TENANT * (1 + MEMBERS_PER_CLINIC);
const K_PARTNER = K_NO_CLINIC + 1;

const MEMBER_TIERS: readonly Tier[] = ['user_enterprise', 'user_pro', 'user_premium', 'user'];
const PARTNER_TIERS_CYCLE: readonly Tier[] = [
  'partner_paid',
  'partner',
  'partner_free',
  'beta_observer',
];
const SOLO_TIERS: readonly Tier[] = [
  'user_pro',
  'user_premium',
  'user_enterprise',
  'owner',
  'user_free',
  'user',
  'partner_paid',
  'partner_free',
  'partner',
  'beta_observer',
  'admin',
];
export const PARTNER_TIER_SET: ReadonlySet<Tier> = new Set([
  'partner',
  'partner_free',
  'partner_paid',
  'beta_observer',
]);

/** Time-ordered UUIDs per table: appends to the primary-key b-tree while loading. */
export const enum Kind {
  Tenant = 1,
  Clinic = 2,
  User = 3,
  Session = 4,
  Patient = 5,
  Treatment = 6,
  Vital = 7,
  Assessment = 8,
}

const HEX = '0123456789abcdef';
export function uuid(kind: Kind, n: number): string {
  // 0198xxxx-…: a v7-shaped id whose leading bits are the kind, then a 52-bit counter.
  let digits = '';
  let v = n;
  for (let i = 0; i < 13; i++) {
    digits = HEX[v % 16] + digits;
    v = Math.floor(v / 16);
  }
  return `0198${kind.toString(16).padStart(2, '0')}${digits.slice(0, 2)}-${digits.slice(2, 6)}-7${digits.slice(6, 9)}-8${digits.slice(9, 12)}-${digits.slice(12)}00000000000`;
}

/** A 32-bit hash of an index (deterministic: every run of a size produces the same data). */
export function mix(n: number, salt: number): number {
  let h = Math.imul(n ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(salt + 1, 0xc2b2ae35);
  h ^= h >>> 16;
  h = Math.imul(h, 0x7feb352d);
  h ^= h >>> 15;
  h = Math.imul(h, 0x846ca68b);
  h ^= h >>> 16;
  return h >>> 0;
}

export interface UserSpec {
  readonly index: number;
  readonly id: string;
  readonly tier: Tier;
  readonly platformAdmin: boolean;
  readonly tenant: number | null;
  readonly tenantRole: TenantRole | null;
  /** Clinic index within the tenant and role there. */
  readonly clinic: { readonly index: number; readonly role: ClinicRole } | null;
  readonly label: string;
}

export interface PatientSpec {
  readonly index: number;
  readonly id: string;
  readonly tenant: number | null;
  readonly clinic: number | null;
  readonly owner: number;
  readonly isTest: boolean;
  readonly archived: boolean;
  readonly createdAtMs: number;
}

const BASE_MS = Date.UTC(2024, 0, 1);
const SPAN_MS = 2 * 365 * 24 * 3600 * 1000;

export class Layout {
  readonly tenants: number;
  readonly soloUsers: number;
  readonly soloPatients: number;
  readonly users: number;

  constructor(readonly patients: number) {
    this.tenants = Math.max(1, Math.round(patients / PATIENTS_PER_TENANT));
    this.soloUsers = Math.max(SOLO_TIERS.length, Math.round(this.tenants / 2));
    this.soloPatients = Math.floor(patients * SOLO_SHARE);
    // Tenant users, solo users, the platform admin.
    this.users = this.tenants * USERS_PER_TENANT + this.soloUsers + 1;
  }

  get platformAdminIndex(): number {
    return this.users - 1;
  }

  tenantId(t: number): string {
    return uuid(Kind.Tenant, t);
  }

  clinicId(t: number, c: number): string {
    return uuid(Kind.Clinic, t * CLINICS_PER_TENANT + c);
  }

  userId(u: number): string {
    return uuid(Kind.User, u);
  }

  /** The user index of tenant `t`'s member `k` (see the K_* slots). */
  tenantUser(t: number, k: number): number {
    return t * USERS_PER_TENANT + k;
  }

  clinicMember(t: number, clinic: number, slot: number): number {
    return this.tenantUser(t, K_FIRST_CLINIC + clinic * (1 + MEMBERS_PER_CLINIC) + slot);
  }

  /** Callers the HTTP benchmarks use (tenant 0). */
  callers(): { clinicMember: number; tenantAdmin: number; partner: number; platformAdmin: number } {
    return {
      clinicMember: this.clinicMember(0, 0, 1),
      tenantAdmin: this.tenantUser(0, K_ADMIN),
      partner: this.tenantUser(0, K_PARTNER),
      platformAdmin: this.platformAdminIndex,
    };
  }

  user(u: number): UserSpec {
    const id = this.userId(u);
    if (u === this.platformAdminIndex) {
      return {
        index: u,
        id,
        tier: 'admin',
        platformAdmin: true,
        tenant: null,
        tenantRole: null,
        clinic: null,
        label: 'platform admin',
      };
    }
    const tenantUsers = this.tenants * USERS_PER_TENANT;
    if (u >= tenantUsers) {
      const s = u - tenantUsers;
      const tier = SOLO_TIERS[s % SOLO_TIERS.length];
      return {
        index: u,
        id,
        tier,
        platformAdmin: false,
        tenant: null,
        tenantRole: null,
        clinic: null,
        label: `solo ${tier}`,
      };
    }
    const t = Math.floor(u / USERS_PER_TENANT);
    const k = u % USERS_PER_TENANT;
    if (k === K_OWNER)
      return {
        index: u,
        id,
        tier: 'owner',
        platformAdmin: false,
        tenant: t,
        tenantRole: 'OWNER',
        clinic: null,
        label: 'tenant owner',
      };
    if (k === K_ADMIN)
      return {
        index: u,
        id,
        tier: 'user_enterprise',
        platformAdmin: false,
        tenant: t,
        tenantRole: 'ADMIN',
        clinic: null,
        label: 'tenant admin',
      };
    if (k === K_NO_CLINIC)
      return {
        index: u,
        id,
        tier: 'user_free',
        platformAdmin: false,
        tenant: t,
        tenantRole: 'MEMBER',
        clinic: null,
        label: 'tenant member',
      };
    if (k === K_PARTNER) {
      const tier = PARTNER_TIERS_CYCLE[t % PARTNER_TIERS_CYCLE.length];
      return {
        index: u,
        id,
        tier,
        platformAdmin: false,
        tenant: t,
        tenantRole: 'MEMBER',
        clinic: null,
        label: 'partner',
      };
    }
    const c = Math.floor((k - K_FIRST_CLINIC) / (1 + MEMBERS_PER_CLINIC));
    const slot = (k - K_FIRST_CLINIC) % (1 + MEMBERS_PER_CLINIC);
    if (slot === 0) {
      return {
        index: u,
        id,
        tier: 'user_enterprise',
        platformAdmin: false,
        tenant: t,
        tenantRole: 'MEMBER',
        clinic: { index: c, role: 'ADMIN' },
        label: 'clinic admin',
      };
    }
    const tier = MEMBER_TIERS[(slot - 1) % MEMBER_TIERS.length];
    return {
      index: u,
      id,
      tier,
      platformAdmin: false,
      tenant: t,
      tenantRole: 'MEMBER',
      clinic: { index: c, role: 'MEMBER' },
      label: 'clinic member',
    };
  }

  patient(i: number): PatientSpec {
    const id = uuid(Kind.Patient, i);
    const h = mix(i, 1);
    const createdAtMs = BASE_MS + (mix(i, 2) % SPAN_MS) + (i % 1000);
    const archived = mix(i, 3) % 1000 < ARCHIVED_PER_MILLE;
    if (i < this.soloPatients) {
      const owner = this.tenants * USERS_PER_TENANT + (i % this.soloUsers);
      const isTest = PARTNER_TIER_SET.has(this.user(owner).tier);
      return {
        index: i,
        id,
        tenant: null,
        clinic: null,
        owner,
        isTest,
        archived: archived && !isTest,
        createdAtMs,
      };
    }
    const j = i - this.soloPatients;
    const t = j % this.tenants;
    const r = h % 1000;
    if (r < TEST_PER_MILLE) {
      return {
        index: i,
        id,
        tenant: t,
        clinic: null,
        owner: this.tenantUser(t, K_PARTNER),
        isTest: true,
        archived: false,
        createdAtMs,
      };
    }
    if (r < TEST_PER_MILLE + NO_CLINIC_PER_MILLE) {
      return {
        index: i,
        id,
        tenant: t,
        clinic: null,
        owner: this.tenantUser(t, r % 2 === 0 ? K_OWNER : K_ADMIN),
        isTest: false,
        archived,
        createdAtMs,
      };
    }
    const c = (h >>> 10) % CLINICS_PER_TENANT;
    const slot = (h >>> 16) % (1 + MEMBERS_PER_CLINIC);
    return {
      index: i,
      id,
      tenant: t,
      clinic: c,
      owner: this.clinicMember(t, c, slot),
      isTest: false,
      archived,
      createdAtMs,
    };
  }

  subjectId(p: PatientSpec): string {
    const code = p.index.toString(36).toUpperCase().padStart(10, '0');
    return p.isTest ? `TEST-${code}` : code;
  }
}

/** The counter of a `uuid(kind, n)` (inverse of uuid). */
export function uuidIndex(id: string): number {
  const s = id.replace(/-/g, '');
  return Number.parseInt(s.slice(6, 12) + s.slice(13, 16) + s.slice(17, 21), 16);
}
