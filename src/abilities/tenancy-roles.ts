/** Tenancy roles (seed 003, with its "groups" called clinics). */
export const TENANT_ROLES = ['OWNER', 'ADMIN', 'MEMBER'] as const;
export type TenantRole = (typeof TENANT_ROLES)[number];
export const TENANT_ADMIN_ROLES: readonly TenantRole[] = ['OWNER', 'ADMIN'];

export const CLINIC_ROLES = ['ADMIN', 'MEMBER'] as const;
export type ClinicRole = (typeof CLINIC_ROLES)[number];

export function isTenantAdminRole(role: TenantRole | null | undefined): boolean {
  return role === 'OWNER' || role === 'ADMIN';
}
