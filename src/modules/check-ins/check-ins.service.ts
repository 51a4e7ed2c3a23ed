import { Injectable } from '@nestjs/common';
import { subject } from '@casl/ability';
import type { AccessContext } from '../../abilities/access-context';
import { isPlatformAdmin } from '../../abilities/ability.factory';
import type { Action } from '../../abilities/actions';
import { actionDenial, tenancyDenial } from '../../abilities/denials';
import { whereAccessible } from '../../abilities/sql/rules-to-sql';
import { SUBJECT_SQL } from '../../abilities/sql/subject-maps';
import { isTenantAdminRole } from '../../abilities/tenancy-roles';
import { Errors } from '../../common/errors/api-exception';
import {
  decodeCursor,
  keysetCondition,
  type Page,
  pageLimit,
  toPage,
} from '../../common/pagination/pagination';
import { Db } from '../../database/request-context';
import { AuditService } from '../audit/audit.service';
import { TenancyRecords } from '../tenancy/tenancy-records';
import type {
  CheckInDto,
  CheckInListQueryDto,
  CheckInShareDto,
  CreateCheckInDto,
  ShareCheckInDto,
  StreakDto,
  UpdateCheckInDto,
} from './dto/check-in.dto';
import { computeStreak } from './streak';

interface CheckInRow {
  id: string;
  author_id: string;
  tenant_id: string | null;
  mood: number;
  note: string | null;
  is_private: boolean;
  check_in_date: string;
  shared_with: string[];
  created_at: Date;
  updated_at: Date;
  cursor_created_at: string;
}

interface CheckInRecord {
  readonly id: string;
  readonly authorId: string;
  readonly tenantId: string | null;
  readonly isPrivate: boolean;
  readonly sharedWith: readonly string[];
}

const COLUMNS = `ci.id, ci.author_id, ci.tenant_id, ci.mood, ci.note, ci.is_private, ci.check_in_date::text AS check_in_date,
  COALESCE((SELECT json_agg(s.clinic_id ORDER BY s.clinic_id) FROM check_in_shares s WHERE s.check_in_id = ci.id), '[]'::json) AS shared_with,
  ci.created_at, ci.updated_at, ci.created_at::text AS cursor_created_at`;

function toDto(row: CheckInRow): CheckInDto {
  return {
    id: row.id,
    authorId: row.author_id,
    tenantId: row.tenant_id,
    mood: row.mood,
    note: row.note,
    isPrivate: row.is_private,
    checkInDate: row.check_in_date,
    sharedWith: row.shared_with,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

/** The CASL subject of a check-in (camelCase, with its shares for the clinic rule). */
function checkInSubject(c: CheckInRecord) {
  return subject('CheckIn', {
    id: c.id,
    authorId: c.authorId,
    tenantId: c.tenantId,
    isPrivate: c.isPrivate,
    shares: c.sharedWith.map((clinicId) => ({ clinicId, tenantId: c.tenantId })),
  });
}

function shareSubject(c: CheckInRecord, tenantId: string | null, clinicId: string) {
  return subject('CheckInShare', { tenantId, clinicId, checkIn: { authorId: c.authorId } });
}

function deny(access: AccessContext, action: Action, what: string): never {
  throw Errors.forbidden('action_denied', actionDenial(access.principal, null, action, what));
}

/**
 * Daily check-ins (seed 003). Visibility comes from the ability: own always; non-private ones
 * shared with the caller's clinics; all non-private ones of the tenant for its OWNER/ADMIN;
 * everything for PLATFORM_ADMIN, whose reads of someone's private check-in are audited (D11).
 */
@Injectable()
export class CheckInsService {
  constructor(
    private readonly db: Db,
    private readonly records: TenancyRecords,
    private readonly audit: AuditService,
  ) {}

  async create(access: AccessContext, dto: CreateCheckInDto): Promise<CheckInDto> {
    const { principal } = access;
    const tenantId = principal.tenant?.id ?? null;
    if (
      !access.ability.can(
        'create',
        subject('CheckIn', { authorId: principal.id, tenantId, isPrivate: dto.isPrivate }),
      )
    ) {
      deny(access, 'create', 'check-in');
    }
    const rows: { id: string }[] = await this.db.manager.query(
      `INSERT INTO check_ins (tenant_id, author_id, mood, note, is_private) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
      [tenantId, principal.id, dto.mood, dto.note ?? null, dto.isPrivate],
    );
    return this.fetch(rows[0].id);
  }

  async list(access: AccessContext, query: CheckInListQueryDto): Promise<Page<CheckInDto>> {
    const scope = query.scope ?? 'own';
    if (query.tenantId !== undefined && scope !== 'tenant') {
      throw Errors.validation([
        { field: 'tenantId', message: 'tenantId is only accepted with scope=tenant' },
      ]);
    }
    if (query.clinicId !== undefined && scope !== 'clinic') {
      throw Errors.validation([
        { field: 'clinicId', message: 'clinicId is only accepted with scope=clinic' },
      ]);
    }
    const { principal } = access;
    const limit = pageLimit(query.limit);
    const keyset = keysetCondition(decodeCursor(query.cursor), 'ci.created_at', 'ci.id');
    const qb = this.db.manager.createQueryBuilder().select(COLUMNS).from('check_ins', 'ci');

    switch (scope) {
      case 'own':
        qb.where('ci.author_id = :me', { me: principal.id });
        break;
      case 'clinic': {
        qb.where('ci.is_private = FALSE');
        if (query.clinicId !== undefined) {
          await this.records.clinic(access, query.clinicId);
          qb.andWhere(
            'EXISTS (SELECT 1 FROM check_in_shares s WHERE s.check_in_id = ci.id AND s.clinic_id = :clinicId)',
            {
              clinicId: query.clinicId,
            },
          );
        } else if (isPlatformAdmin(principal)) {
          // A platform admin belongs to no clinic (D5): every shared check-in.
          qb.andWhere('EXISTS (SELECT 1 FROM check_in_shares s WHERE s.check_in_id = ci.id)');
        } else {
          qb.andWhere(
            'EXISTS (SELECT 1 FROM check_in_shares s WHERE s.check_in_id = ci.id AND s.clinic_id = ANY(:myClinics))',
            { myClinics: principal.clinics.map((c) => c.id) },
          );
        }
        break;
      }
      case 'tenant': {
        const admin = isPlatformAdmin(principal);
        if (!admin && !isTenantAdminRole(principal.tenant?.role)) {
          throw Errors.forbidden(
            'tenancy_denied',
            tenancyDenial(
              principal,
              null,
              'read',
              'Reading all check-ins of a tenant (scope=tenant, tenant OWNER/ADMIN only)',
            ),
          );
        }
        qb.where('ci.is_private = FALSE');
        const tenantId = query.tenantId ?? (admin ? undefined : principal.tenant?.id);
        if (tenantId !== undefined) {
          await this.records.tenant(access, tenantId);
          qb.andWhere('ci.tenant_id = :tenantId', { tenantId });
        } else {
          qb.andWhere('ci.tenant_id IS NOT NULL');
        }
        break;
      }
    }
    whereAccessible(qb, access.ability, 'read', 'CheckIn', SUBJECT_SQL.CheckIn, 'ci');
    const rows = await qb
      .andWhere(keyset.sql, keyset.params)
      .orderBy('ci.created_at', 'DESC')
      .addOrderBy('ci.id', 'DESC')
      .limit(limit + 1)
      .getRawMany<CheckInRow>();
    return toPage(rows, limit, (r) => r.id, toDto);
  }

  async streak(access: AccessContext): Promise<StreakDto> {
    const rows: { day: string; today: string }[] = await this.db.manager.query(
      `SELECT DISTINCT check_in_date::text AS day, ((now() AT TIME ZONE 'UTC')::date)::text AS today
         FROM check_ins WHERE author_id = $1`,
      [access.principal.id],
    );
    if (rows.length === 0) return { current: 0, longest: 0 };
    return computeStreak(
      rows.map((r) => r.day),
      rows[0].today,
    );
  }

  async get(access: AccessContext, id: string): Promise<CheckInDto> {
    const row = await this.load(access, id);
    if (row.is_private && row.author_id !== access.principal.id) {
      // Only PLATFORM_ADMIN reaches someone else's private check-in (D11): always on record.
      await this.audit.record(
        {
          action: 'check_in.private_read',
          subjectType: 'CheckIn',
          subjectId: id,
          tenantId: row.tenant_id,
          details: { authorId: row.author_id },
        },
        access,
      );
    }
    return toDto(row);
  }

  async update(access: AccessContext, id: string, dto: UpdateCheckInDto): Promise<CheckInDto> {
    const row = await this.load(access, id);
    const record = toRecord(row);
    if (!access.ability.can('update', checkInSubject(record))) deny(access, 'update', 'check-in');
    if (dto.isPrivate === true && record.sharedWith.length > 0) {
      // "Private" must mean private at once: its shares end with the change.
      await this.db.manager.query(`DELETE FROM check_in_shares WHERE check_in_id = $1`, [id]);
    }
    await this.db.manager.query(
      `UPDATE check_ins SET mood = $2, note = $3, is_private = $4, updated_at = now() WHERE id = $1`,
      [
        id,
        dto.mood ?? row.mood,
        dto.note === undefined ? row.note : dto.note,
        dto.isPrivate ?? row.is_private,
      ],
    );
    if (record.authorId !== access.principal.id) {
      await this.audit.record(
        {
          action: 'check_in.admin_update',
          subjectType: 'CheckIn',
          subjectId: id,
          tenantId: row.tenant_id,
          details: {
            authorId: row.author_id,
            fields: Object.keys(dto),
            wasPrivate: row.is_private,
          },
        },
        access,
      );
    }
    return this.fetch(id);
  }

  async remove(access: AccessContext, id: string): Promise<void> {
    const row = await this.load(access, id);
    if (!access.ability.can('delete', checkInSubject(toRecord(row))))
      deny(access, 'delete', 'check-in');
    await this.db.manager.query(`DELETE FROM check_ins WHERE id = $1`, [id]);
    if (row.author_id !== access.principal.id) {
      await this.audit.record(
        {
          action: 'check_in.admin_delete',
          subjectType: 'CheckIn',
          subjectId: id,
          tenantId: row.tenant_id,
          details: { authorId: row.author_id, wasPrivate: row.is_private },
        },
        access,
      );
    }
  }

  /**
   * Shares a non-private check-in with a clinic of its tenant that the author belongs to.
   * Already shared → 409 (a POST creates; nothing was created).
   */
  async share(access: AccessContext, id: string, dto: ShareCheckInDto): Promise<CheckInShareDto> {
    const record = toRecord(await this.load(access, id));
    if (!access.ability.can('create', shareSubject(record, record.tenantId, dto.clinicId))) {
      deny(access, 'create', 'check-in share');
    }
    if (record.isPrivate) throw Errors.conflict('A private check-in cannot be shared');
    const clinic = await this.records.clinic(access, dto.clinicId);
    if (clinic.tenantId !== record.tenantId) {
      throw Errors.conflict(
        'A check-in can only be shared with a clinic of the tenant it was written in',
      );
    }
    if (
      !isPlatformAdmin(access.principal) &&
      !access.principal.clinics.some((c) => c.id === clinic.id)
    ) {
      throw Errors.forbidden('action_denied', {
        ...actionDenial(access.principal, null, 'create', 'check-in share'),
        reason: 'You can share a check-in only with a clinic you belong to.',
      });
    }
    const rows: { created_at: Date }[] = await this.db.manager.query(
      `INSERT INTO check_in_shares (tenant_id, check_in_id, clinic_id) VALUES ($1, $2, $3)
       ON CONFLICT DO NOTHING RETURNING created_at`,
      [clinic.tenantId, id, clinic.id],
    );
    if (!rows[0]) throw Errors.conflict('This check-in is already shared with that clinic');
    return {
      checkInId: id,
      clinicId: clinic.id,
      tenantId: clinic.tenantId,
      createdAt: rows[0].created_at.toISOString(),
    };
  }

  /** The author, the tenant's OWNER/ADMIN or a PLATFORM_ADMIN end a share. */
  async unshare(access: AccessContext, id: string, clinicId: string): Promise<void> {
    const record = toRecord(await this.load(access, id));
    const shares: { tenant_id: string }[] = await this.db.manager.query(
      `SELECT tenant_id FROM check_in_shares WHERE check_in_id = $1 AND clinic_id = $2`,
      [id, clinicId],
    );
    const share = shares[0];
    if (!share) throw Errors.notFound('This check-in is not shared with that clinic');
    if (!access.ability.can('delete', shareSubject(record, share.tenant_id, clinicId))) {
      deny(access, 'delete', 'check-in share');
    }
    await this.db.manager.query(
      `DELETE FROM check_in_shares WHERE check_in_id = $1 AND clinic_id = $2`,
      [id, clinicId],
    );
    if (record.authorId !== access.principal.id) {
      await this.audit.record(
        {
          action: 'check_in_share.admin_remove',
          subjectType: 'CheckInShare',
          subjectId: `${id}/${clinicId}`,
          tenantId: share.tenant_id,
          details: { checkInId: id, clinicId, authorId: record.authorId },
        },
        access,
      );
    }
  }

  /** A check-in through the caller's read scope; outside it → 404. */
  private async load(access: AccessContext, id: string): Promise<CheckInRow> {
    const qb = this.db.manager
      .createQueryBuilder()
      .select(COLUMNS)
      .from('check_ins', 'ci')
      .where('ci.id = :id', { id });
    const row = await whereAccessible(
      qb,
      access.ability,
      'read',
      'CheckIn',
      SUBJECT_SQL.CheckIn,
      'ci',
    ).getRawOne<CheckInRow>();
    if (!row) throw Errors.notFound('Check-in not found');
    return row;
  }

  private async fetch(id: string): Promise<CheckInDto> {
    const rows: CheckInRow[] = await this.db.manager.query(
      `SELECT ${COLUMNS} FROM check_ins ci WHERE ci.id = $1`,
      [id],
    );
    if (!rows[0]) throw Errors.notFound('Check-in not found');
    return toDto(rows[0]);
  }
}

function toRecord(row: CheckInRow): CheckInRecord {
  return {
    id: row.id,
    authorId: row.author_id,
    tenantId: row.tenant_id,
    isPrivate: row.is_private,
    sharedWith: row.shared_with,
  };
}
