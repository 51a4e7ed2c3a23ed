import { Injectable } from '@nestjs/common';
import { ENTERPRISE_SEAT_TIER } from '../../abilities/tiers';
import { TokenRevocationService } from '../../auth/token-revocation.service';
import { Db } from '../../database/request-context';
import { returningRows } from '../../database/returning';
import { TierRegistry } from '../../database/tier-registry';

/**
 * What must happen, in the request's transaction, whenever someone's tenancy changes:
 * their access tokens die (API.md "Role changes"), an enterprise seat gives back the tier it
 * replaced (D6), and their check-ins stop being shared with clinics they have left.
 */
@Injectable()
export class MembershipEffects {
  constructor(
    private readonly db: Db,
    private readonly revocation: TokenRevocationService,
    private readonly tiers: TierRegistry,
  ) {}

  /** Every access token of these users answers 401 from the next request on. */
  async revokeAccess(userIds: readonly string[]): Promise<void> {
    for (const userId of new Set(userIds))
      await this.revocation.bumpTokenVersion(userId, this.db.manager);
  }

  /**
   * Ends a seat: deletes the grant and restores the tier (and expiry) held before it — unless
   * the platform changed the user's tier since, which then stands. Returns false without a grant.
   */
  async endSeat(tenantId: string, userId: string): Promise<boolean> {
    const grants = returningRows<{
      previous_role_id: number;
      previous_role_expires_at: Date | null;
    }>(
      await this.db.manager.query(
        `DELETE FROM seat_grants WHERE tenant_id = $1 AND user_id = $2
         RETURNING previous_role_id, previous_role_expires_at`,
        [tenantId, userId],
      ),
    );
    const grant = grants[0];
    if (!grant) return false;
    await this.db.manager.query(
      `UPDATE user_profiles SET role_id = $2, role_expires_at = $3, updated_at = now()
        WHERE user_id = $1 AND role_id = $4`,
      [
        userId,
        grant.previous_role_id,
        grant.previous_role_expires_at,
        this.tiers.idOf(ENTERPRISE_SEAT_TIER),
      ],
    );
    return true;
  }

  /** Ends every seat of a tenant (before it is deleted); returns the users whose seat ended. */
  async endAllSeats(tenantId: string): Promise<string[]> {
    const rows: { user_id: string }[] = await this.db.manager.query(
      `WITH g AS (
         DELETE FROM seat_grants WHERE tenant_id = $1
         RETURNING user_id, previous_role_id, previous_role_expires_at
       ), restored AS (
         UPDATE user_profiles p SET role_id = g.previous_role_id, role_expires_at = g.previous_role_expires_at, updated_at = now()
           FROM g WHERE p.user_id = g.user_id AND p.role_id = $2
       )
       SELECT user_id FROM g`,
      [tenantId, this.tiers.idOf(ENTERPRISE_SEAT_TIER)],
    );
    return rows.map((r) => r.user_id);
  }

  /**
   * A user leaving a tenant stops sharing their check-ins with its clinics. The check-ins stay
   * theirs (own scope) and keep the tenant they were written in: what a member wrote while in
   * the tenant remains part of the tenant's record for its OWNER/ADMIN (seed 003), and the
   * database would not let a tenant admin rewrite someone else's check-ins anyway (RLS).
   */
  async unshareAll(tenantId: string, userId: string): Promise<void> {
    await this.db.manager.query(
      `DELETE FROM check_in_shares s USING check_ins ci
        WHERE s.tenant_id = $1 AND ci.id = s.check_in_id AND ci.author_id = $2`,
      [tenantId, userId],
    );
  }

  /** A user leaving a clinic stops sharing their check-ins with it. */
  async unshareFromClinic(tenantId: string, clinicId: string, userId: string): Promise<void> {
    await this.db.manager.query(
      `DELETE FROM check_in_shares s USING check_ins ci
        WHERE s.tenant_id = $1 AND s.clinic_id = $2 AND ci.id = s.check_in_id AND ci.author_id = $3`,
      [tenantId, clinicId, userId],
    );
  }
}
