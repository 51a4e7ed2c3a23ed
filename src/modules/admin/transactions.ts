import { isPlatformAdmin } from '../../abilities/ability.factory';
import { isPartnerTier } from '../../abilities/tiers';
import type { Principal } from '../../auth/principal';
import type { Db, DbSessionContext } from '../../database/request-context';

/**
 * Runs `work` in one transaction: the request's when inside one, otherwise (CLI, boot) a new
 * one made ambient through `db.manager`, so services are written once for both.
 */
export function inTransaction<T>(db: Db, work: () => Promise<T>): Promise<T> {
  if (db.inRequestTransaction) return work();
  return db.dataSource.transaction((manager) => db.runWith(manager, work));
}

/**
 * The RLS identity of a caller, as RequestTransactionInterceptor builds it, for @OwnTransaction
 * routes that must act after their own commit (feature flags refresh the cache then).
 */
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
