import { Injectable } from '@nestjs/common';
import type { AccessContext } from '../../abilities/access-context';
import { tenancyDenial } from '../../abilities/denials';
import { whereAccessible } from '../../abilities/sql/rules-to-sql';
import { SUBJECT_SQL } from '../../abilities/sql/subject-maps';
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
import { AuditService } from '../audit/audit.service';
import type { CreateTenantDto, TenantDto, UpdateTenantDto } from './dto/tenant.dto';
import { MembershipEffects } from './membership-effects';
import { asSubject, denyAction, TenancyRecords } from './tenancy-records';

interface TenantRow {
  id: string;
  name: string;
  seat_limit: number | null;
  seats_used: number;
  created_at: Date;
  updated_at: Date;
  cursor_created_at: string;
}

const TENANT_COLUMNS = `t.id, t.name, t.seat_limit, t.created_at, t.updated_at, t.created_at::text AS cursor_created_at,
  (SELECT count(*) FROM seat_grants g WHERE g.tenant_id = t.id)::int AS seats_used`;

function toTenantDto(row: TenantRow): TenantDto {
  return {
    id: row.id,
    name: row.name,
    seatLimit: row.seat_limit,
    seatsUsed: row.seats_used,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

@Injectable()
export class TenantsService {
  constructor(
    private readonly db: Db,
    private readonly records: TenancyRecords,
    private readonly effects: MembershipEffects,
    private readonly audit: AuditService,
  ) {}

  async create(access: AccessContext, dto: CreateTenantDto): Promise<TenantDto> {
    // The guard already checked this route's rule; kept so the service is safe on its own.
    if (!access.ability.can('create', 'Tenant')) {
      throw Errors.forbidden(
        'tenancy_denied',
        tenancyDenial(access.principal, null, 'create', 'Creating a tenant'),
      );
    }
    const rows: { id: string }[] = await this.db.manager.query(
      `INSERT INTO tenants (name, seat_limit) VALUES ($1, $2) RETURNING id`,
      [dto.name, dto.seatLimit ?? null],
    );
    const tenant = await this.fetch(rows[0].id);
    await this.audit.record(
      {
        action: 'tenant.create',
        subjectType: 'Tenant',
        subjectId: tenant.id,
        tenantId: tenant.id,
        details: { name: tenant.name, seatLimit: tenant.seatLimit },
      },
      access,
    );
    return tenant;
  }

  async list(access: AccessContext, query: PageQueryDto): Promise<Page<TenantDto>> {
    const limit = pageLimit(query.limit);
    const keyset = keysetCondition(decodeCursor(query.cursor), 't.created_at', 't.id');
    const qb = this.db.manager.createQueryBuilder().select(TENANT_COLUMNS).from('tenants', 't');
    whereAccessible(qb, access.ability, 'read', 'Tenant', SUBJECT_SQL.Tenant, 't');
    const rows = await qb
      .andWhere(keyset.sql, keyset.params)
      .orderBy('t.created_at', 'DESC')
      .addOrderBy('t.id', 'DESC')
      .limit(limit + 1)
      .getRawMany<TenantRow>();
    return toPage(rows, limit, (r) => r.id, toTenantDto);
  }

  async get(access: AccessContext, id: string): Promise<TenantDto> {
    await this.records.tenant(access, id);
    return this.fetch(id);
  }

  async update(access: AccessContext, id: string, dto: UpdateTenantDto): Promise<TenantDto> {
    const before = await this.records.tenant(access, id);
    const { ability } = access;
    if (!ability.can('update', asSubject.tenant(before))) denyAction(access, 'update', 'tenant');
    if (
      dto.seatLimit !== undefined &&
      !ability.can('update', asSubject.tenant(before), 'seatLimit')
    ) {
      // Seats are sold by the platform (API.md: seatLimit is PLATFORM_ADMIN only).
      denyAction(access, 'update', 'tenant’s seatLimit');
    }
    // Serialises with seat grants, which count seats under the same lock.
    await this.db.manager.query(`SELECT 1 FROM tenants WHERE id = $1 FOR UPDATE`, [id]);
    if (dto.seatLimit !== undefined) {
      const used = await this.seatsUsed(id);
      if (used > (dto.seatLimit ?? 0)) {
        throw Errors.conflict(
          `${used} seat(s) are granted; revoke some before lowering seatLimit below that`,
          {
            seatsUsed: used,
          },
        );
      }
    }
    const name = dto.name ?? before.name;
    const seatLimit = dto.seatLimit === undefined ? before.seatLimit : dto.seatLimit;
    await this.db.manager.query(
      `UPDATE tenants SET name = $2, seat_limit = $3, updated_at = now() WHERE id = $1`,
      [id, name, seatLimit],
    );
    const changes: Record<string, { from: unknown; to: unknown }> = {};
    if (name !== before.name) changes.name = { from: before.name, to: name };
    if (seatLimit !== before.seatLimit)
      changes.seatLimit = { from: before.seatLimit, to: seatLimit };
    if (Object.keys(changes).length > 0) {
      await this.audit.record(
        {
          action: 'tenant.update',
          subjectType: 'Tenant',
          subjectId: id,
          tenantId: id,
          details: { changes },
        },
        access,
      );
    }
    return this.fetch(id);
  }

  async remove(access: AccessContext, id: string): Promise<void> {
    const tenant = await this.records.tenant(access, id);
    if (!access.ability.can('delete', asSubject.tenant(tenant)))
      denyAction(access, 'delete', 'tenant');
    await this.db.manager.query(`SELECT 1 FROM tenants WHERE id = $1 FOR UPDATE`, [id]);
    const members: { user_id: string }[] = await this.db.manager.query(
      `SELECT user_id FROM tenant_members WHERE tenant_id = $1`,
      [id],
    );
    // Seats give back the tiers they replaced. Members' check-ins survive as personal ones
    // (check_ins.tenant_id is ON DELETE SET NULL); clinics, memberships and shares cascade.
    const seatHolders = await this.effects.endAllSeats(id);
    await this.db.manager.query(`DELETE FROM tenants WHERE id = $1`, [id]);
    await this.effects.revokeAccess(members.map((m) => m.user_id));
    // tenant_id NULL: the tenant row is gone (audit_log.tenant_id references tenants).
    await this.audit.record(
      {
        action: 'tenant.delete',
        subjectType: 'Tenant',
        subjectId: id,
        tenantId: null,
        details: {
          tenantId: id,
          name: tenant.name,
          members: members.length,
          seatsEnded: seatHolders.length,
        },
      },
      access,
    );
  }

  private async seatsUsed(tenantId: string): Promise<number> {
    const rows: { n: number }[] = await this.db.manager.query(
      `SELECT count(*)::int AS n FROM seat_grants WHERE tenant_id = $1`,
      [tenantId],
    );
    return rows[0]?.n ?? 0;
  }

  /** A tenant the caller has just been authorised for (or written). */
  private async fetch(id: string): Promise<TenantDto> {
    const rows: TenantRow[] = await this.db.manager.query(
      `SELECT ${TENANT_COLUMNS} FROM tenants t WHERE t.id = $1`,
      [id],
    );
    if (!rows[0]) throw Errors.notFound('Tenant not found');
    return toTenantDto(rows[0]);
  }
}
