import { HttpStatus, Injectable, Logger } from '@nestjs/common';
import { isPlatformAdmin } from '../../abilities/ability.factory';
import type { AccessContext } from '../../abilities/access-context';
import { PLATFORM_ADMIN, type PlatformRole } from '../../abilities/platform-roles';
import { whereAccessible } from '../../abilities/sql/rules-to-sql';
import { SUBJECT_SQL } from '../../abilities/sql/subject-maps';
import type { ClinicRole, TenantRole } from '../../abilities/tenancy-roles';
import type { Tier } from '../../abilities/tiers';
import { InvitationService } from '../../auth/invitation.service';
import { TokenRevocationService } from '../../auth/token-revocation.service';
import { ApiException, Errors } from '../../common/errors/api-exception';
import {
  decodeCursor,
  keysetCondition,
  type Page,
  pageLimit,
  toPage,
} from '../../common/pagination/pagination';
import { Db } from '../../database/request-context';
import { TierRegistry } from '../../database/tier-registry';
import type { AuditActor } from '../audit/audit.service';
import { normalizeEmail, UsersService } from '../users/users.service';
import { AdminAudit } from './admin-audit';
import type {
  AdminUserDto,
  CreateAdminUserDto,
  ListAdminUsersQueryDto,
  UpdateAdminUserDto,
} from './admin-users.dto';

interface UserRow {
  id: string;
  email: string;
  display_name: string | null;
  platform_role: PlatformRole | null;
  tier: Tier;
  tier_expires_at: Date | null;
  disabled_at: Date | null;
  activated_at: Date | null;
  tenant_id: string | null;
  tenant_role: TenantRole | null;
  clinics: { id: string; role: ClinicRole }[];
  created_at: Date;
  cursor_created_at: string;
}

export function toAdminUser(row: UserRow): AdminUserDto {
  return {
    id: row.id,
    email: row.email,
    displayName: row.display_name,
    platformRole: row.platform_role,
    tier: row.tier,
    tierExpiresAt: row.tier_expires_at ? row.tier_expires_at.toISOString() : null,
    disabled: row.disabled_at !== null,
    activated: row.activated_at !== null,
    tenant: row.tenant_id && row.tenant_role ? { id: row.tenant_id, role: row.tenant_role } : null,
    clinics: row.clinics,
    createdAt: row.created_at.toISOString(),
  };
}

/** A date the body gave as ISO 8601, or a 400 naming the field. */
export function futureDate(value: string, field: string, now = new Date()): Date {
  const date = new Date(value);
  if (Number.isNaN(date.getTime()))
    throw Errors.validation([{ field, message: `${field} is not a valid date-time` }]);
  if (date.getTime() <= now.getTime())
    throw Errors.validation([{ field, message: `${field} must be in the future` }]);
  return date;
}

/** beta_observer is time-boxed (PRODUCT.md §4): it never exists without an expiry. */
export function requireExpiryFor(tier: Tier, expiry: Date | null): void {
  if (tier === 'beta_observer' && expiry === null) {
    throw Errors.validation([
      { field: 'tierExpiresAt', message: 'tierExpiresAt is required for tier beta_observer' },
    ]);
  }
}

/** 503 when an invitation could not be handed to the mail server: the caller's transaction rolls back. */
export function mailFailure(logger: Logger, error: unknown): ApiException {
  logger.warn(
    { err: error instanceof Error ? error.message : String(error) },
    'Invitation email could not be sent',
  );
  return new ApiException(
    HttpStatus.SERVICE_UNAVAILABLE,
    'service_unavailable',
    'The invitation email could not be sent, so nothing was created; retry later',
  );
}

/**
 * The admin panel's users (API.md "Admin panel"): PLATFORM_ADMIN sees and changes everyone;
 * a tenant OWNER/ADMIN reads the users of their tenant (SQL scope from the ability's
 * `AdminUser` rules). Every change is audited and bumps the user's token_version.
 */
@Injectable()
export class AdminUsersService {
  private readonly logger = new Logger(AdminUsersService.name);

  constructor(
    private readonly db: Db,
    private readonly users: UsersService,
    private readonly tiers: TierRegistry,
    private readonly invitations: InvitationService,
    private readonly revocation: TokenRevocationService,
    private readonly audit: AdminAudit,
  ) {}

  private baseQuery() {
    return this.db.manager
      .createQueryBuilder()
      .from('users', 'u')
      .innerJoin('user_profiles', 'up', 'up.user_id = u.id')
      .innerJoin('ref_user_roles', 'r', 'r.id = up.role_id')
      .leftJoin('tenant_members', 'tm', 'tm.user_id = u.id')
      .select('u.id', 'id')
      .addSelect('u.email', 'email')
      .addSelect('u.display_name', 'display_name')
      .addSelect('u.platform_role', 'platform_role')
      .addSelect('r.role_name', 'tier')
      .addSelect('up.role_expires_at', 'tier_expires_at')
      .addSelect('u.disabled_at', 'disabled_at')
      .addSelect('u.activated_at', 'activated_at')
      .addSelect('tm.tenant_id', 'tenant_id')
      .addSelect('tm.role', 'tenant_role')
      .addSelect(
        `COALESCE((SELECT json_agg(json_build_object('id', cm.clinic_id, 'role', cm.role) ORDER BY cm.created_at, cm.clinic_id)
                     FROM clinic_members cm WHERE cm.user_id = u.id), CAST('[]' AS json))`,
        'clinics',
      )
      .addSelect('u.created_at', 'created_at')
      .addSelect('CAST(u.created_at AS text)', 'cursor_created_at');
  }

  async list(access: AccessContext, query: ListAdminUsersQueryDto): Promise<Page<AdminUserDto>> {
    const limit = pageLimit(query.limit);
    const keyset = keysetCondition(decodeCursor(query.cursor), 'u.created_at', 'u.id');
    const qb = this.baseQuery();
    whereAccessible(qb, access.ability, 'read', 'AdminUser', SUBJECT_SQL.AdminUser, 'u');
    qb.andWhere(keyset.sql, keyset.params);
    if (query.email)
      qb.andWhere(`u.email LIKE :email ESCAPE '\\'`, {
        email: `%${escapeLike(query.email.toLowerCase())}%`,
      });
    if (query.tier) qb.andWhere('r.role_name = :tier', { tier: query.tier });
    if (query.tenantId) {
      // A filter naming a tenant outside the caller's scope is a 404 (API.md "Lists").
      if (!isPlatformAdmin(access.principal) && access.principal.tenant?.id !== query.tenantId) {
        throw Errors.notFound('Tenant not found');
      }
      qb.andWhere('tm.tenant_id = :tenantId', { tenantId: query.tenantId });
    }
    const rows = await qb
      .orderBy('u.created_at', 'DESC')
      .addOrderBy('u.id', 'DESC')
      .limit(limit + 1)
      .getRawMany<UserRow>();
    return toPage(rows, limit, (r) => r.id, toAdminUser);
  }

  /** One user through the caller's read scope: out of scope answers 404 like a missing one. */
  async get(access: AccessContext, id: string): Promise<AdminUserDto> {
    const qb = this.baseQuery().where('u.id = :id', { id });
    whereAccessible(qb, access.ability, 'read', 'AdminUser', SUBJECT_SQL.AdminUser, 'u');
    const row = await qb.getRawOne<UserRow>();
    if (!row) throw Errors.notFound('User not found');
    return toAdminUser(row);
  }

  /** Unscoped, for callers that already passed a platform-only route (and the CLI). */
  async view(id: string): Promise<AdminUserDto> {
    const row = await this.baseQuery().where('u.id = :id', { id }).getRawOne<UserRow>();
    if (!row) throw Errors.notFound('User not found');
    return toAdminUser(row);
  }

  async emailTaken(email: string): Promise<boolean> {
    const rows: unknown[] = await this.db.manager.query(`SELECT 1 FROM users WHERE email = $1`, [
      normalizeEmail(email),
    ]);
    return rows.length > 0;
  }

  async create(dto: CreateAdminUserDto, actor: AuditActor): Promise<AdminUserDto> {
    const expiry =
      dto.tierExpiresAt === undefined ? null : futureDate(dto.tierExpiresAt, 'tierExpiresAt');
    requireExpiryFor(dto.tier, expiry);
    const problems: { field: string; message: string }[] = [];
    if (dto.tenantRole && !dto.tenantId)
      problems.push({ field: 'tenantRole', message: 'tenantRole needs tenantId' });
    if (dto.clinicId && !dto.tenantId)
      problems.push({ field: 'clinicId', message: 'clinicId needs tenantId' });
    if (dto.clinicRole && !dto.clinicId)
      problems.push({ field: 'clinicRole', message: 'clinicRole needs clinicId' });
    if (problems.length) throw Errors.validation(problems);

    const m = this.db.manager;
    if (dto.tenantId) {
      const tenants: unknown[] = await m.query(`SELECT 1 FROM tenants WHERE id = $1`, [
        dto.tenantId,
      ]);
      if (tenants.length === 0) throw Errors.notFound('Tenant not found');
    }
    if (dto.clinicId) {
      const clinics: unknown[] = await m.query(
        `SELECT 1 FROM clinics WHERE id = $1 AND tenant_id = $2`,
        [dto.clinicId, dto.tenantId],
      );
      if (clinics.length === 0) throw Errors.notFound('Clinic not found in this tenant');
    }
    if (await this.emailTaken(dto.email))
      throw Errors.conflict('A user with this email already exists');

    const invited = dto.password === undefined;
    const user = await this.users.create(
      {
        email: dto.email,
        displayName: dto.displayName,
        password: dto.password ?? null,
        tier: dto.tier,
        tierExpiresAt: expiry,
        activated: !invited,
      },
      m,
    );
    const tenantRole: TenantRole | null = dto.tenantId ? (dto.tenantRole ?? 'MEMBER') : null;
    const clinicRole: ClinicRole | null = dto.clinicId ? (dto.clinicRole ?? 'MEMBER') : null;
    if (dto.tenantId && tenantRole) {
      await m.query(`INSERT INTO tenant_members (tenant_id, user_id, role) VALUES ($1, $2, $3)`, [
        dto.tenantId,
        user.id,
        tenantRole,
      ]);
    }
    if (dto.tenantId && dto.clinicId && clinicRole) {
      await m.query(
        `INSERT INTO clinic_members (tenant_id, clinic_id, user_id, role) VALUES ($1, $2, $3, $4)`,
        [dto.tenantId, dto.clinicId, user.id, clinicRole],
      );
    }
    await this.audit.record(
      {
        action: 'user.create',
        subjectType: 'User',
        subjectId: user.id,
        tenantId: dto.tenantId ?? null,
        details: {
          tier: dto.tier,
          tierExpiresAt: expiry?.toISOString() ?? null,
          tenantRole,
          clinicId: dto.clinicId ?? null,
          clinicRole,
          invited,
        },
      },
      actor,
    );
    if (invited) {
      // Same transaction: a mail that cannot be sent leaves no account behind.
      try {
        await this.invitations.invite(user.id, m);
      } catch (error) {
        throw mailFailure(this.logger, error);
      }
    }
    return this.view(user.id);
  }

  async update(id: string, dto: UpdateAdminUserDto, actor: AuditActor): Promise<AdminUserDto> {
    const m = this.db.manager;
    const rows: {
      platform_role: PlatformRole | null;
      disabled_at: Date | null;
      tier: Tier;
      role_expires_at: Date | null;
      tenant_id: string | null;
    }[] = await m.query(
      `SELECT u.platform_role, u.disabled_at, r.role_name AS tier, up.role_expires_at,
              (SELECT tm.tenant_id FROM tenant_members tm WHERE tm.user_id = u.id) AS tenant_id
         FROM users u
         JOIN user_profiles up ON up.user_id = u.id
         JOIN ref_user_roles r ON r.id = up.role_id
        WHERE u.id = $1
          FOR UPDATE OF u, up`,
      [id],
    );
    const current = rows[0];
    if (!current) throw Errors.notFound('User not found');

    const changes: Record<string, { from: unknown; to: unknown }> = {};
    const tier = dto.tier ?? current.tier;
    const tierChanged = tier !== current.tier;
    if (tierChanged) changes.tier = { from: current.tier, to: tier };

    let expiry = current.role_expires_at;
    if (dto.tierExpiresAt !== undefined) {
      expiry = dto.tierExpiresAt === null ? null : new Date(dto.tierExpiresAt);
      if (expiry && Number.isNaN(expiry.getTime()))
        throw Errors.validation([
          { field: 'tierExpiresAt', message: 'tierExpiresAt is not a valid date-time' },
        ]);
    } else if (tierChanged) {
      // The old box belonged to the old tier.
      expiry = null;
    }
    requireExpiryFor(tier, expiry);
    if ((expiry?.getTime() ?? null) !== (current.role_expires_at?.getTime() ?? null)) {
      changes.tierExpiresAt = {
        from: current.role_expires_at?.toISOString() ?? null,
        to: expiry?.toISOString() ?? null,
      };
    }

    const platformRole = dto.platformRole === undefined ? current.platform_role : dto.platformRole;
    if (platformRole !== current.platform_role) {
      // D5: PLATFORM_ADMIN holds no memberships and reaches every tenant through its role.
      if (platformRole === PLATFORM_ADMIN && current.tenant_id) {
        throw Errors.conflict(
          'A tenant member cannot be PLATFORM_ADMIN; remove the membership first',
        );
      }
      changes.platformRole = { from: current.platform_role, to: platformRole };
    }

    const disabled = dto.disabled ?? current.disabled_at !== null;
    if (disabled !== (current.disabled_at !== null))
      changes.disabled = { from: !disabled, to: disabled };

    if (Object.keys(changes).length === 0) return this.view(id);

    const losesPlatform =
      current.platform_role === PLATFORM_ADMIN && (platformRole !== PLATFORM_ADMIN || disabled);
    if (losesPlatform) {
      const others: unknown[] = await m.query(
        `SELECT 1 FROM users WHERE platform_role = $1 AND disabled_at IS NULL AND id <> $2 LIMIT 1`,
        [PLATFORM_ADMIN, id],
      );
      if (others.length === 0)
        throw Errors.conflict('This is the last active PLATFORM_ADMIN; promote another one first');
    }

    if (changes.tier || changes.tierExpiresAt) {
      await m.query(
        `UPDATE user_profiles SET role_id = $2, role_expires_at = $3, updated_at = now() WHERE user_id = $1`,
        [id, this.tiers.idOf(tier), expiry],
      );
    }
    if (tierChanged) {
      // A platform tier assignment supersedes an enterprise seat (D6): the seat is freed and
      // no later revocation may "restore" a tier over the platform's choice.
      const freed: { tenant_id: string }[] = await m.query(
        // As a CTE: a bare DELETE … RETURNING comes back from TypeORM as [rows, count].
        `WITH d AS (DELETE FROM seat_grants WHERE user_id = $1 RETURNING tenant_id) SELECT tenant_id FROM d`,
        [id],
      );
      if (freed.length) changes.seatReleased = { from: freed[0].tenant_id, to: null };
    }
    if (changes.platformRole || changes.disabled) {
      await m.query(
        `UPDATE users SET platform_role = $2,
                          disabled_at = CASE WHEN $3::boolean THEN COALESCE(disabled_at, now()) END,
                          updated_at = now()
          WHERE id = $1`,
        [id, platformRole, disabled],
      );
    }
    // API.md "Role changes": access tokens die at once; disabling also kills refresh tokens.
    if (changes.disabled && disabled) await this.revocation.revokeAllSessions(id, m);
    else await this.revocation.bumpTokenVersion(id, m);

    await this.audit.record(
      {
        action: 'user.update',
        subjectType: 'User',
        subjectId: id,
        tenantId: current.tenant_id,
        details: { changes },
      },
      actor,
    );
    return this.view(id);
  }
}

function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (c) => `\\${c}`);
}
