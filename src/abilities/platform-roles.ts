/**
 * Platform roles (`users.platform_role`). Deliberately separate from the tier `admin`
 * (D2, seed 004): a tier says which features, a platform role says "operates the platform".
 */
export const PLATFORM_ROLES = ['PLATFORM_ADMIN'] as const;
export type PlatformRole = (typeof PLATFORM_ROLES)[number];
export const PLATFORM_ADMIN: PlatformRole = 'PLATFORM_ADMIN';

export function isPlatformRole(value: unknown): value is PlatformRole {
  return typeof value === 'string' && (PLATFORM_ROLES as readonly string[]).includes(value);
}
