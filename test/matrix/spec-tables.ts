/**
 * The spec's access tables, transcribed as typed data for the authorization-matrix oracle.
 *
 * Written ONLY from /work/shared/spec (API.md, PRODUCT.md, feature-matrix.csv) and seed 003's
 * "Permission Matrix" — never from src/abilities/. The feature matrix itself is parsed from the
 * committed copy of the spec CSV (test/fixtures/feature-matrix.csv) instead of being retyped.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const TIERS = [
  'admin',
  'owner',
  'partner_paid',
  'partner_free',
  'beta_observer',
  'user_enterprise',
  'user_premium',
  'user_pro',
  'user_free',
  'partner',
  'user',
] as const;
export type Tier = (typeof TIERS)[number];

/** PRODUCT.md §2.3 "partner overlay": only their own test rows, never a live one. */
export const PARTNER_TIERS: readonly Tier[] = [
  'partner_free',
  'partner_paid',
  'beta_observer',
  'partner',
];
/** PRODUCT.md §4: `beta_observer` is time-boxed (role_expires_at); past it, 403 role_expired. */
export const TIME_BOXED_TIERS: readonly Tier[] = ['beta_observer'];

export const FEATURES = [
  'wellness_journey',
  'session_vitals',
  'baseline_assessments',
  'multi_patient_dashboard',
  'protocol_builder',
  'data_export',
  'analytics',
  'benchmark_intel',
  'admin_panel',
] as const;
export type Feature = (typeof FEATURES)[number];

export const LEVELS = ['full', 'read', 'basic', 'none'] as const;
export type Level = (typeof LEVELS)[number];

export type Action = 'read' | 'create' | 'update' | 'delete';

function isOneOf<T extends string>(values: readonly T[], value: string): value is T {
  return (values as readonly string[]).includes(value);
}

/** Parses the spec CSV (header: feature, then one column per tier). Throws on anything unknown. */
export function parseFeatureMatrix(
  csv: string,
): Readonly<Record<Feature, Readonly<Record<Tier, Level>>>> {
  const lines = csv.split(/\r?\n/).filter((line) => line.trim() !== '');
  const header = lines[0].split(',').map((cell) => cell.trim());
  if (header[0] !== 'feature')
    throw new Error('feature-matrix.csv: first column must be "feature"');
  const tiers = header.slice(1).map((name) => {
    if (!isOneOf(TIERS, name)) throw new Error(`feature-matrix.csv: unknown tier ${name}`);
    return name;
  });
  const out = {} as Record<Feature, Record<Tier, Level>>;
  for (const line of lines.slice(1)) {
    const [feature, ...cells] = line.split(',').map((cell) => cell.trim());
    if (!isOneOf(FEATURES, feature))
      throw new Error(`feature-matrix.csv: unknown feature ${feature}`);
    const row = {} as Record<Tier, Level>;
    tiers.forEach((tier, i) => {
      const level = cells[i];
      if (!isOneOf(LEVELS, level))
        throw new Error(`feature-matrix.csv: bad level ${level} for ${feature}/${tier}`);
      row[tier] = level;
    });
    out[feature] = row;
  }
  for (const feature of FEATURES)
    if (!out[feature]) throw new Error(`feature-matrix.csv: missing ${feature}`);
  return out;
}

export const FEATURE_MATRIX = parseFeatureMatrix(
  readFileSync(join(__dirname, '..', 'fixtures', 'feature-matrix.csv'), 'utf8'),
);

/**
 * The caller kinds the issue asks for. Placement in the test world (the oracle reasons on
 * these abstract positions): every tenant kind is in the home tenant T1; the clinic kinds are
 * in the home clinic C1a; PLATFORM_ADMIN holds no membership (D5); SOLO has no tenant.
 */
export const CALLER_KINDS = [
  'PLATFORM_ADMIN',
  'TENANT_OWNER',
  'TENANT_ADMIN',
  'CLINIC_ADMIN',
  'CLINIC_MEMBER',
  'TENANT_MEMBER',
  'SOLO',
] as const;
export type CallerKind = (typeof CALLER_KINDS)[number];

export interface Caller {
  readonly kind: CallerKind;
  readonly tier: Tier;
  /** A time-boxed tier whose role_expires_at is in the past (extra callers beyond the 77). */
  readonly expired?: boolean;
}

/** The abstract world: T1 (home tenant: C1a home clinic, C1b), T2 (C2a). */
export type TenantRef = 'T1' | 'T2';
export type ClinicRef = 'C1a' | 'C1b' | 'C2a';
export const CLINIC_TENANT: Readonly<Record<ClinicRef, TenantRef>> = {
  C1a: 'T1',
  C1b: 'T1',
  C2a: 'T2',
};

export type TenantRole = 'OWNER' | 'ADMIN' | 'MEMBER';
export type ClinicRole = 'ADMIN' | 'MEMBER';

export interface Placement {
  readonly platformAdmin: boolean;
  readonly tenant: { readonly ref: TenantRef; readonly role: TenantRole } | null;
  readonly clinics: readonly { readonly ref: ClinicRef; readonly role: ClinicRole }[];
}

export const PLACEMENT: Readonly<Record<CallerKind, Placement>> = {
  PLATFORM_ADMIN: { platformAdmin: true, tenant: null, clinics: [] },
  TENANT_OWNER: { platformAdmin: false, tenant: { ref: 'T1', role: 'OWNER' }, clinics: [] },
  TENANT_ADMIN: { platformAdmin: false, tenant: { ref: 'T1', role: 'ADMIN' }, clinics: [] },
  CLINIC_ADMIN: {
    platformAdmin: false,
    tenant: { ref: 'T1', role: 'MEMBER' },
    clinics: [{ ref: 'C1a', role: 'ADMIN' }],
  },
  CLINIC_MEMBER: {
    platformAdmin: false,
    tenant: { ref: 'T1', role: 'MEMBER' },
    clinics: [{ ref: 'C1a', role: 'MEMBER' }],
  },
  TENANT_MEMBER: { platformAdmin: false, tenant: { ref: 'T1', role: 'MEMBER' }, clinics: [] },
  SOLO: { platformAdmin: false, tenant: null, clinics: [] },
};

/**
 * Seed 003's "Permission Matrix", columns as in the seed (SuperUser, Facility Admin, Group
 * Admin, Facility Member, Basic User), with "Facility Admin" split into OWNER and ADMIN
 * because the matrix itself says "Delete own tenant: ✅ (OWNER only)". API.md's tenancy table
 * adds the rows the seed lacks (seats, listing members, seatLimit, unsharing).
 *
 * A grant is the scope in which the column may do it:
 *   any        — every tenant/clinic/record (SuperUser = PLATFORM_ADMIN);
 *   ownTenant  — the target belongs to the caller's tenant;
 *   adminClinic — the target clinic is one the caller is clinic ADMIN of ("own group");
 *   inClinic   — the target clinic is one the caller belongs to (ADMIN or MEMBER);
 *   self       — the target user is the caller ("(self)" in the seed);
 *   author     — the caller wrote the check-in.
 */
export type Grant = 'any' | 'ownTenant' | 'adminClinic' | 'inClinic' | 'self' | 'author';
export type MatrixColumn =
  'SuperUser' | 'Owner' | 'Admin' | 'GroupAdmin' | 'Member' | 'Basic' | 'Everyone';

export const TENANCY_PERMISSIONS = [
  'tenant.create',
  'tenant.view',
  'tenant.update',
  'tenant.updateSeatLimit',
  'tenant.delete',
  'tenant.members.listAll',
  'tenant.members.invite',
  'tenant.members.inviteAdmin',
  'tenant.members.promote',
  'tenant.members.remove',
  'tenant.seats.manage',
  'clinic.create',
  'clinic.view',
  'clinic.update',
  'clinic.delete',
  'clinic.members.list',
  'clinic.members.add',
  'clinic.members.addAdmin',
  'clinic.members.promote',
  'clinic.members.remove',
  'checkin.create',
  'checkin.change',
  'checkin.share',
  'checkin.unshare',
  'checkin.listTenant',
] as const;
export type TenancyPermission = (typeof TENANCY_PERMISSIONS)[number];

type Row = Partial<Record<MatrixColumn, readonly Grant[]>>;
const ADMINS = (grant: readonly Grant[]): Row => ({ Owner: grant, Admin: grant });

export const TENANCY_MATRIX: Readonly<Record<TenancyPermission, Row>> = {
  // Tenant Management
  'tenant.create': { SuperUser: ['any'] },
  'tenant.view': {
    SuperUser: ['any'],
    ...ADMINS(['ownTenant']),
    GroupAdmin: ['ownTenant'],
    Member: ['ownTenant'],
  },
  'tenant.update': { SuperUser: ['any'], ...ADMINS(['ownTenant']) },
  // API.md: "`seatLimit`: PLATFORM_ADMIN only".
  'tenant.updateSeatLimit': { SuperUser: ['any'] },
  'tenant.delete': { SuperUser: ['any'], Owner: ['ownTenant'] },
  // API.md: "GET /tenants/:id/members — OWNER/ADMIN; a member sees only their own row".
  'tenant.members.listAll': { SuperUser: ['any'], ...ADMINS(['ownTenant']) },
  // User Management
  'tenant.members.invite': { SuperUser: ['any'], ...ADMINS(['ownTenant']) },
  // API.md: "OWNER/ADMIN roles only by PLATFORM_ADMIN"; seed: "Promote to Facility Admin: SuperUser".
  'tenant.members.inviteAdmin': { SuperUser: ['any'] },
  'tenant.members.promote': { SuperUser: ['any'] },
  'tenant.members.remove': { SuperUser: ['any'], ...ADMINS(['ownTenant']), Everyone: ['self'] },
  // API.md seats: "OWNER/ADMIN grant or revoke"; tenancy header: "PLATFORM_ADMIN may do everything here".
  'tenant.seats.manage': { SuperUser: ['any'], ...ADMINS(['ownTenant']) },
  // Group (clinic) Management
  'clinic.create': { SuperUser: ['any'], ...ADMINS(['ownTenant']) },
  'clinic.view': {
    SuperUser: ['any'],
    ...ADMINS(['ownTenant']),
    GroupAdmin: ['ownTenant'],
    Member: ['ownTenant'],
  },
  'clinic.update': { SuperUser: ['any'], ...ADMINS(['ownTenant']), GroupAdmin: ['adminClinic'] },
  'clinic.delete': { SuperUser: ['any'], ...ADMINS(['ownTenant']) },
  // API.md: "GET /clinics/:id/members — tenant OWNER/ADMIN, members of that clinic".
  'clinic.members.list': {
    SuperUser: ['any'],
    ...ADMINS(['ownTenant']),
    GroupAdmin: ['inClinic'],
    Member: ['inClinic'],
  },
  'clinic.members.add': {
    SuperUser: ['any'],
    ...ADMINS(['ownTenant']),
    GroupAdmin: ['adminClinic'],
  },
  // API.md: clinic ADMIN adds "role MEMBER only"; "Promote to Group Admin: SuperUser, Facility Admin".
  'clinic.members.addAdmin': { SuperUser: ['any'], ...ADMINS(['ownTenant']) },
  'clinic.members.promote': { SuperUser: ['any'], ...ADMINS(['ownTenant']) },
  'clinic.members.remove': {
    SuperUser: ['any'],
    ...ADMINS(['ownTenant']),
    GroupAdmin: ['adminClinic'],
    Everyone: ['self'],
  },
  // Check-in Management (seed 003 + API.md check-ins + D11)
  'checkin.create': { Everyone: ['any'] },
  // API.md: "change: author or PLATFORM_ADMIN".
  'checkin.change': { SuperUser: ['any'], Everyone: ['author'] },
  // API.md: "(author, to a clinic it belongs to)"; seed policy: SuperUsers share any check-in.
  'checkin.share': { SuperUser: ['any'], Everyone: ['author'] },
  // API.md: "DELETE /check-ins/:id/shares/:clinicId (author, tenant OWNER/ADMIN, PLATFORM_ADMIN)".
  'checkin.unshare': { SuperUser: ['any'], ...ADMINS(['ownTenant']), Everyone: ['author'] },
  // API.md: "`tenant` = OWNER/ADMIN only, others 403 tenancy_denied" (seed: "View all tenant check-ins").
  'checkin.listTenant': { SuperUser: ['any'], ...ADMINS(['ownTenant']) },
};

/** Which seed-003 columns a caller kind occupies ("Everyone" always applies). */
export const KIND_COLUMNS: Readonly<Record<CallerKind, readonly MatrixColumn[]>> = {
  PLATFORM_ADMIN: ['SuperUser'],
  TENANT_OWNER: ['Owner'],
  TENANT_ADMIN: ['Admin'],
  // A clinic ADMIN is a Facility Member who is also Group Admin (PRODUCT.md §2.2, D5).
  CLINIC_ADMIN: ['GroupAdmin', 'Member'],
  CLINIC_MEMBER: ['Member'],
  TENANT_MEMBER: ['Member'],
  SOLO: ['Basic'],
};
