import { isPlatformAdmin } from '../abilities/ability.factory';
import { isPartnerTier } from '../abilities/tiers';
import type { Principal } from '../auth/principal';
import type { DbSessionContext } from './request-context';

/** The caller's identity as the RLS policies read it (one definition for every transaction). */
export function sessionContextOf(principal: Principal): DbSessionContext {
  return {
    userId: principal.id,
    tenantId: principal.tenant?.id ?? null,
    tenantRole: principal.tenant?.role ?? null,
    clinicIds: principal.clinics.map((c) => c.id),
    platformAdmin: isPlatformAdmin(principal),
    partner: isPartnerTier(principal.tier),
  };
}
