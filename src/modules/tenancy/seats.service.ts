import { Injectable } from '@nestjs/common';
import type { AccessContext } from '../../abilities/access-context';
import { ENTERPRISE_SEAT_TIER, type Tier } from '../../abilities/tiers';
import { Errors } from '../../common/errors/api-exception';
import { Db } from '../../database/request-context';
import { TierRegistry } from '../../database/tier-registry';
import { AuditService } from '../audit/audit.service';
import type { SeatDto } from './dto/member.dto';
import { MembershipEffects } from './membership-effects';
import { asSubject, denyAction, TenancyRecords } from './tenancy-records';

/**
 * Tiers a seat may replace: the practitioner tiers. Partner tiers are test-data-only accounts
 * (a seat would give them live data) and `admin`/`owner` are assigned by the platform (D6).
 */
const SEAT_ELIGIBLE_TIERS: readonly Tier[] = [
  'user',
  'user_free',
  'user_pro',
  'user_premium',
  ENTERPRISE_SEAT_TIER,
];

interface GrantRow {
  tenant_id: string;
  user_id: string;
  previous_role_id: number;
  granted_by: string | null;
  granted_at: Date;
}

/** Enterprise seats (D6): a tenant's OWNER/ADMIN lend tier `user_enterprise` within seat_limit. */
@Injectable()
export class SeatsService {
  constructor(
    private readonly db: Db,
    private readonly records: TenancyRecords,
    private readonly effects: MembershipEffects,
    private readonly audit: AuditService,
    private readonly tiers: TierRegistry,
  ) {}

  /** Idempotent: a member who already holds a seat of this tenant gets it back unchanged. */
  async grant(access: AccessContext, tenantId: string, userId: string): Promise<SeatDto> {
    await this.records.tenant(access, tenantId);
    if (!access.ability.can('update', asSubject.seat({ tenantId, userId })))
      denyAction(access, 'update', 'seat');
    // Seats are counted under the tenant row's lock: two grants cannot both take the last seat.
    const locked: { seat_limit: number | null }[] = await this.db.manager.query(
      `SELECT seat_limit FROM tenants WHERE id = $1 FOR UPDATE`,
      [tenantId],
    );
    const member: { role_id: number; role_expires_at: Date | null }[] = await this.db.manager.query(
      `SELECT p.role_id, p.role_expires_at
         FROM tenant_members tm JOIN user_profiles p ON p.user_id = tm.user_id
        WHERE tm.tenant_id = $1 AND tm.user_id = $2
        FOR UPDATE OF p`,
      [tenantId, userId],
    );
    if (!member[0]) throw Errors.notFound('No member of this tenant with that id');
    const existing = await this.grantRow(tenantId, userId);
    if (existing) return this.toDto(existing);

    const currentTier = this.tiers.tierOf(member[0].role_id);
    if (!SEAT_ELIGIBLE_TIERS.includes(currentTier)) {
      throw Errors.conflict(
        `Tier ${currentTier} is assigned by the platform and cannot be replaced by a seat`,
      );
    }
    const used: { n: number }[] = await this.db.manager.query(
      `SELECT count(*)::int AS n FROM seat_grants WHERE tenant_id = $1`,
      [tenantId],
    );
    const limit = locked[0]?.seat_limit ?? 0;
    if ((used[0]?.n ?? 0) >= limit) {
      throw Errors.conflict(`All ${limit} seat(s) of this tenant are in use`, { seatLimit: limit });
    }
    await this.db.manager.query(
      `INSERT INTO seat_grants (tenant_id, user_id, previous_role_id, previous_role_expires_at, granted_by)
       VALUES ($1, $2, $3, $4, $5)`,
      [tenantId, userId, member[0].role_id, member[0].role_expires_at, access.principal.id],
    );
    await this.db.manager.query(
      `UPDATE user_profiles SET role_id = $2, role_expires_at = NULL, updated_at = now() WHERE user_id = $1`,
      [userId, this.tiers.idOf(ENTERPRISE_SEAT_TIER)],
    );
    await this.effects.revokeAccess([userId]);
    await this.audit.record(
      {
        action: 'seat.grant',
        subjectType: 'Seat',
        subjectId: userId,
        tenantId,
        details: { userId, previousTier: currentTier, tier: ENTERPRISE_SEAT_TIER },
      },
      access,
    );
    const granted = await this.grantRow(tenantId, userId);
    if (!granted) throw new Error('Seat grant vanished inside its own transaction');
    return this.toDto(granted);
  }

  /** Ends a seat and restores the tier held before it; 404 when the member holds none. */
  async revoke(access: AccessContext, tenantId: string, userId: string): Promise<void> {
    await this.records.tenant(access, tenantId);
    if (!access.ability.can('delete', asSubject.seat({ tenantId, userId })))
      denyAction(access, 'delete', 'seat');
    await this.db.manager.query(`SELECT 1 FROM tenants WHERE id = $1 FOR UPDATE`, [tenantId]);
    const grant = await this.grantRow(tenantId, userId);
    if (!grant) throw Errors.notFound('This member holds no seat of this tenant');
    await this.effects.endSeat(tenantId, userId);
    await this.effects.revokeAccess([userId]);
    await this.audit.record(
      {
        action: 'seat.revoke',
        subjectType: 'Seat',
        subjectId: userId,
        tenantId,
        details: { userId, restoredTier: this.tiers.tierOf(grant.previous_role_id) },
      },
      access,
    );
  }

  private async grantRow(tenantId: string, userId: string): Promise<GrantRow | null> {
    const rows: GrantRow[] = await this.db.manager.query(
      `SELECT tenant_id, user_id, previous_role_id, granted_by, granted_at
         FROM seat_grants WHERE tenant_id = $1 AND user_id = $2`,
      [tenantId, userId],
    );
    return rows[0] ?? null;
  }

  private toDto(row: GrantRow): SeatDto {
    return {
      tenantId: row.tenant_id,
      userId: row.user_id,
      tier: ENTERPRISE_SEAT_TIER,
      previousTier: this.tiers.tierOf(row.previous_role_id),
      grantedBy: row.granted_by,
      grantedAt: row.granted_at.toISOString(),
    };
  }
}
