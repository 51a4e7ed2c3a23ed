import type { Principal } from './principal';

/**
 * Time-boxed tiers (beta_observer): after `tierExpiresAt` the user can still log in and call
 * /me, but every feature answers 403 `role_expired` (decided by the ability factory).
 */
export function isTierExpired(
  principal: Pick<Principal, 'tierExpiresAt'>,
  now: Date = new Date(),
): boolean {
  return principal.tierExpiresAt !== null && principal.tierExpiresAt.getTime() <= now.getTime();
}
