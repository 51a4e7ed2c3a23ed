/**
 * Every audit action name, in one place (`audit_log.action`). Add new ones here: a typo in a
 * bare string would silently create a new action nobody filters on.
 */
export const AUDIT_ACTIONS = [
  // Tenancy and roles (every change writes a row).
  'tenant.create',
  'tenant.update',
  'tenant.delete',
  'tenant_member.add',
  'tenant_member.role_change',
  'tenant_member.remove',
  'clinic.create',
  'clinic.update',
  'clinic.delete',
  'clinic_member.add',
  'clinic_member.role_change',
  'clinic_member.remove',
  'seat.grant',
  'seat.revoke',
  // PLATFORM_ADMIN reaching into personal data (D11) and moderation of others' check-ins.
  'check_in.private_read',
  'check_in.admin_update',
  'check_in.admin_delete',
  'check_in_share.admin_remove',
  // PLATFORM_ADMIN reads of patient data (PRODUCT.md §2.3), for the clinical features.
  'patient_data.read',
  // Admin panel (issue 7).
  'user.create',
  'user.update',
  'partner.provision',
  'test_data.scrub',
  'feature_flag.set',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/** What an audit row is about (`audit_log.subject_type`). */
export const AUDIT_SUBJECT_TYPES = [
  'Tenant',
  'TenantMember',
  'Clinic',
  'ClinicMember',
  'Seat',
  'CheckIn',
  'CheckInShare',
  'Patient',
  'TreatmentSession',
  'Assessment',
  'User',
  'TestData',
  'FeatureFlag',
] as const;
export type AuditSubjectType = (typeof AUDIT_SUBJECT_TYPES)[number];
