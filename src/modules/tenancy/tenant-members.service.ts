import { Injectable } from '@nestjs/common';
import type { AccessContext } from '../../abilities/access-context';
import { isPlatformAdmin } from '../../abilities/ability.factory';
import { whereAccessible } from '../../abilities/sql/rules-to-sql';
import { SUBJECT_SQL } from '../../abilities/sql/subject-maps';
import type { TenantRole } from '../../abilities/tenancy-roles';
import { DEFAULT_TIER_ID, type Tier } from '../../abilities/tiers';
import { InvitationService } from '../../auth/invitation.service';
import { Errors } from '../../common/errors/api-exception';
import {
  decodeCursor,
  keysetCondition,
  type Page,
  pageLimit,
  type PageQueryDto,
  toPage,
} from '../../common/pagination/pagination';
import { Db } from '../../database/request-context';
import { TierRegistry } from '../../database/tier-registry';
import { AuditService } from '../audit/audit.service';
import { normalizeEmail, UsersService } from '../users/users.service';
import type { AddTenantMemberDto, TenantMemberDto, UpdateTenantMemberDto } from './dto/member.dto';
import { MembershipEffects } from './membership-effects';
import { asSubject, denyAction, TenancyRecords } from './tenancy-records';

interface MemberRow {
  tenant_id: string;
  user_id: string;
  email: string;
  display_name: string | null;
  role: TenantRole;
  tier: Tier;
  seat: boolean;
  activated: boolean;
  created_at: Date;
  cursor_created_at: string;
}

const MEMBER_COLUMNS = `tm.tenant_id, tm.user_id, u.email, u.display_name, tm.role, r.role_name AS tier,
  EXISTS (SELECT 1 FROM seat_grants g WHERE g.tenant_id = tm.tenant_id AND g.user_id = tm.user_id) AS seat,
  (u.activated_at IS NOT NULL) AS activated, tm.created_at, tm.created_at::text AS cursor_created_at`;
const MEMBER_JOINS = `JOIN users u ON u.id = tm.user_id
  JOIN user_profiles p ON p.user_id = tm.user_id
  JOIN ref_user_roles r ON r.id = p.role_id`;

function toMemberDto(row: MemberRow): TenantMemberDto {
  return {
    tenantId: row.tenant_id,
    userId: row.user_id,
    email: row.email,
    displayName: row.display_name,
    role: row.role,
    tier: row.tier,
    seat: row.seat,
    activated: row.activated,
    createdAt: row.created_at.toISOString(),
  };
}

/** Tenant memberships: who belongs to a tenant, with which role (seed 003, D5). */
@Injectable()
export class TenantMembersService {
  constructor(
    private readonly db: Db,
    private readonly records: TenancyRecords,
    private readonly effects: MembershipEffects,
    private readonly audit: AuditService,
    private readonly users: UsersService,
    private readonly invitations: InvitationService,
    private readonly tiers: TierRegistry,
  ) {}

  /** OWNER/ADMIN see every member; a MEMBER sees only their own row (the same SQL filter). */
  async list(
    access: AccessContext,
    tenantId: string,
    query: PageQueryDto,
  ): Promise<Page<TenantMemberDto>> {
    await this.records.tenant(access, tenantId);
    const limit = pageLimit(query.limit);
    const keyset = keysetCondition(decodeCursor(query.cursor), 'tm.created_at', 'tm.user_id');
    const qb = this.db.manager
      .createQueryBuilder()
      .select(MEMBER_COLUMNS)
      .from('tenant_members', 'tm')
      .innerJoin('users', 'u', 'u.id = tm.user_id')
      .innerJoin('user_profiles', 'p', 'p.user_id = tm.user_id')
      .innerJoin('ref_user_roles', 'r', 'r.id = p.role_id')
      .where('tm.tenant_id = :tenantId', { tenantId });
    whereAccessible(qb, access.ability, 'read', 'TenantMember', SUBJECT_SQL.TenantMember, 'tm');
    const rows = await qb
      .andWhere(keyset.sql, keyset.params)
      .orderBy('tm.created_at', 'DESC')
      .addOrderBy('tm.user_id', 'DESC')
      .limit(limit + 1)
      .getRawMany<MemberRow>();
    return toPage(rows, limit, (r) => r.user_id, toMemberDto);
  }

  /**
   * Adds a person by email: an existing account joins (D5: unless it already belongs to a
   * tenant, or is a PLATFORM_ADMIN, which holds no memberships → 409); an unknown email gets
   * an account on the default tier, not activated, and an invitation.
   */
  async add(
    access: AccessContext,
    tenantId: string,
    dto: AddTenantMemberDto,
  ): Promise<TenantMemberDto> {
    await this.records.tenant(access, tenantId);
    if (!access.ability.can('create', asSubject.tenantMember({ tenantId, role: dto.role }))) {
      // OWNER/ADMIN may add MEMBERs; OWNER/ADMIN roles are the platform's to give (seed 003).
      denyAction(access, 'create', `tenant member with role ${dto.role}`);
    }
    const email = normalizeEmail(dto.email);
    const existing: {
      id: string;
      platform_role: string | null;
      activated_at: Date | null;
      tenant_id: string | null;
    }[] = await this.db.manager.query(
      `SELECT u.id, u.platform_role, u.activated_at, tm.tenant_id
           FROM users u LEFT JOIN tenant_members tm ON tm.user_id = u.id
          WHERE u.email = $1
          FOR UPDATE OF u`,
      [email],
    );
    let userId: string;
    let invite: boolean;
    const found = existing[0];
    if (found) {
      if (found.platform_role !== null) {
        throw Errors.conflict('A platform admin holds no tenant memberships (D5)');
      }
      if (found.tenant_id !== null)
        throw Errors.conflict('This user already belongs to a tenant (D5: one tenant per user)');
      userId = found.id;
      invite = found.activated_at === null;
    } else {
      const created = await this.users.create(
        {
          email,
          displayName: dto.displayName ?? null,
          tier: this.tiers.tierOf(DEFAULT_TIER_ID),
          activated: false,
        },
        this.db.manager,
      );
      userId = created.id;
      invite = true;
    }
    // ON CONFLICT: a concurrent add of the same user (or to another tenant) lost the race.
    const inserted: unknown[] = await this.db.manager.query(
      `INSERT INTO tenant_members (tenant_id, user_id, role) VALUES ($1, $2, $3)
       ON CONFLICT DO NOTHING RETURNING user_id`,
      [tenantId, userId, dto.role],
    );
    if (inserted.length === 0)
      throw Errors.conflict('This user already belongs to a tenant (D5: one tenant per user)');
    await this.effects.revokeAccess([userId]);
    if (invite) await this.invitations.invite(userId, this.db.manager);
    await this.audit.record(
      {
        action: 'tenant_member.add',
        subjectType: 'TenantMember',
        subjectId: userId,
        tenantId,
        details: { userId, role: dto.role, newAccount: !found, invited: invite },
      },
      access,
    );
    return this.fetch(tenantId, userId);
  }

  /** Role changes (promotion to OWNER/ADMIN and back): PLATFORM_ADMIN only, by the ability. */
  async updateRole(
    access: AccessContext,
    tenantId: string,
    userId: string,
    dto: UpdateTenantMemberDto,
  ): Promise<TenantMemberDto> {
    await this.records.tenant(access, tenantId);
    const member = await this.records.tenantMember(access, tenantId, userId);
    const { ability } = access;
    if (
      !ability.can('update', asSubject.tenantMember(member)) ||
      !ability.can('update', asSubject.tenantMember({ ...member, role: dto.role }))
    ) {
      denyAction(access, 'update', 'tenant member');
    }
    if (member.role !== dto.role) {
      await this.db.manager.query(
        `UPDATE tenant_members SET role = $3 WHERE tenant_id = $1 AND user_id = $2`,
        [tenantId, userId, dto.role],
      );
      await this.effects.revokeAccess([userId]);
      await this.audit.record(
        {
          action: 'tenant_member.role_change',
          subjectType: 'TenantMember',
          subjectId: userId,
          tenantId,
          details: { userId, from: member.role, to: dto.role },
        },
        access,
      );
    }
    return this.fetch(tenantId, userId);
  }

  /**
   * Removal by OWNER/ADMIN (MEMBERs only) or PLATFORM_ADMIN, or leaving (self). The seat, the
   * clinic memberships and the shares of the user's check-ins go with the membership.
   */
  async remove(access: AccessContext, tenantId: string, userId: string): Promise<void> {
    await this.records.tenant(access, tenantId);
    const member = await this.records.tenantMember(access, tenantId, userId);
    if (!access.ability.can('delete', asSubject.tenantMember(member)))
      denyAction(access, 'delete', 'tenant member');
    const self = userId === access.principal.id;
    if (self && member.role === 'OWNER' && !isPlatformAdmin(access.principal)) {
      const owners: { n: number }[] = await this.db.manager.query(
        `SELECT count(*)::int AS n FROM tenant_members WHERE tenant_id = $1 AND role = $2`,
        [tenantId, 'OWNER' satisfies TenantRole],
      );
      if ((owners[0]?.n ?? 0) <= 1) {
        throw Errors.conflict(
          'The last OWNER cannot leave the tenant; a platform admin can name another OWNER first',
        );
      }
    }
    // Before the delete: seat_grants rows cascade with the membership and would lose the old tier.
    const seatEnded = await this.effects.endSeat(tenantId, userId);
    await this.effects.unshareAll(tenantId, userId);
    await this.db.manager.query(
      `DELETE FROM tenant_members WHERE tenant_id = $1 AND user_id = $2`,
      [tenantId, userId],
    );
    await this.effects.revokeAccess([userId]);
    await this.audit.record(
      {
        action: 'tenant_member.remove',
        subjectType: 'TenantMember',
        subjectId: userId,
        tenantId,
        details: { userId, role: member.role, left: self, seatEnded },
      },
      access,
    );
  }

  private async fetch(tenantId: string, userId: string): Promise<TenantMemberDto> {
    const rows: MemberRow[] = await this.db.manager.query(
      `SELECT ${MEMBER_COLUMNS} FROM tenant_members tm ${MEMBER_JOINS} WHERE tm.tenant_id = $1 AND tm.user_id = $2`,
      [tenantId, userId],
    );
    if (!rows[0]) throw Errors.notFound('Member not found');
    return toMemberDto(rows[0]);
  }
}
