import type { SubjectSqlMap } from './rules-to-sql';

const PATIENT_FIELDS = {
  id: 'id',
  ownerId: 'owner_id',
  tenantId: 'tenant_id',
  clinicId: 'clinic_id',
  isTest: 'is_test',
} as const;

/** Records under a patient reach its scope through their `patient_id` (D12). */
const viaPatient = {
  patient: {
    table: 'patients',
    on: (root: string, rel: string) => `${rel}.id = ${root}.patient_id`,
    fields: PATIENT_FIELDS,
  },
} as const;

/** Column maps of every subject whose rows are filtered in SQL. */
export const SUBJECT_SQL = {
  Patient: { table: 'patients', fields: PATIENT_FIELDS },
  TreatmentSession: {
    table: 'treatment_sessions',
    fields: { id: 'id', tenantId: 'tenant_id', patientId: 'patient_id' },
    relations: viaPatient,
  },
  Assessment: {
    table: 'assessments',
    fields: { id: 'id', tenantId: 'tenant_id', patientId: 'patient_id' },
    relations: viaPatient,
  },
  Protocol: {
    table: 'protocols',
    fields: { id: 'id', ownerId: 'owner_id', tenantId: 'tenant_id', isTest: 'is_test' },
  },
  Tenant: { table: 'tenants', fields: { id: 'id' } },
  Clinic: { table: 'clinics', fields: { id: 'id', tenantId: 'tenant_id' } },
  TenantMember: {
    table: 'tenant_members',
    fields: { tenantId: 'tenant_id', userId: 'user_id', role: 'role' },
  },
  ClinicMember: {
    table: 'clinic_members',
    fields: { tenantId: 'tenant_id', clinicId: 'clinic_id', userId: 'user_id', role: 'role' },
  },
  CheckIn: {
    table: 'check_ins',
    fields: { id: 'id', tenantId: 'tenant_id', authorId: 'author_id', isPrivate: 'is_private' },
    relations: {
      shares: {
        table: 'check_in_shares',
        on: (root: string, rel: string) => `${rel}.check_in_id = ${root}.id`,
        fields: { clinicId: 'clinic_id', tenantId: 'tenant_id' },
      },
    },
  },
  AdminUser: {
    table: 'users',
    fields: { id: 'id' },
    relations: {
      membership: {
        table: 'tenant_members',
        on: (root: string, rel: string) => `${rel}.user_id = ${root}.id`,
        fields: { tenantId: 'tenant_id', role: 'role' },
      },
    },
  },
  AuditLog: {
    table: 'audit_log',
    fields: { id: 'id', tenantId: 'tenant_id', actorId: 'actor_id' },
  },
} as const satisfies Record<string, SubjectSqlMap>;
