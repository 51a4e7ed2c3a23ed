import { Injectable } from '@nestjs/common';
import type { AccessContext } from '../../abilities/access-context';
import { whereAccessible } from '../../abilities/sql/rules-to-sql';
import { SUBJECT_SQL } from '../../abilities/sql/subject-maps';
import { Errors } from '../../common/errors/api-exception';
import {
  decodeCursor,
  keysetCondition,
  type Page,
  pageLimit,
  toPage,
} from '../../common/pagination/pagination';
import { Db } from '../../database/request-context';
import type { AuditLogEntryDto, AuditLogQueryDto } from './audit-log.dto';

interface AuditRow {
  id: string;
  created_at: Date;
  cursor_created_at: string;
  action: string;
  subject_type: string;
  subject_id: string | null;
  tenant_id: string | null;
  actor_id: string | null;
  actor_email: string | null;
  request_id: string | null;
  details: Record<string, unknown>;
}

function toEntry(row: AuditRow): AuditLogEntryDto {
  return {
    id: row.id,
    createdAt: row.created_at.toISOString(),
    action: row.action,
    subjectType: row.subject_type,
    subjectId: row.subject_id,
    tenantId: row.tenant_id,
    actor: row.actor_id && row.actor_email ? { id: row.actor_id, email: row.actor_email } : null,
    requestId: row.request_id,
    details: row.details,
  };
}

/** GET /admin/audit-log: PLATFORM_ADMIN every row, tenant OWNER/ADMIN their tenant's; newest first. */
@Injectable()
export class AuditLogService {
  constructor(private readonly db: Db) {}

  async list(access: AccessContext, query: AuditLogQueryDto): Promise<Page<AuditLogEntryDto>> {
    const limit = pageLimit(query.limit);
    const keyset = keysetCondition(decodeCursor(query.cursor), 'a.created_at', 'a.id');
    if (query.actorId) await this.assertActorVisible(access, query.actorId);
    const qb = this.db.manager
      .createQueryBuilder()
      .from('audit_log', 'a')
      .leftJoin('users', 'actor', 'actor.id = a.actor_id')
      .select('a.id', 'id')
      .addSelect('a.created_at', 'created_at')
      .addSelect('CAST(a.created_at AS text)', 'cursor_created_at')
      .addSelect('a.action', 'action')
      .addSelect('a.subject_type', 'subject_type')
      .addSelect('a.subject_id', 'subject_id')
      .addSelect('a.tenant_id', 'tenant_id')
      .addSelect('a.actor_id', 'actor_id')
      .addSelect('actor.email', 'actor_email')
      .addSelect('a.request_id', 'request_id')
      .addSelect('a.details', 'details');
    whereAccessible(qb, access.ability, 'read', 'AuditLog', SUBJECT_SQL.AuditLog, 'a');
    qb.andWhere(keyset.sql, keyset.params);
    if (query.actorId) qb.andWhere('a.actor_id = :actorId', { actorId: query.actorId });
    if (query.action) qb.andWhere('a.action = :action', { action: query.action });
    if (query.since) {
      const since = new Date(query.since);
      if (Number.isNaN(since.getTime()))
        throw Errors.validation([{ field: 'since', message: 'since is not a valid date-time' }]);
      qb.andWhere('a.created_at >= :since', { since });
    }
    const rows = await qb
      .orderBy('a.created_at', 'DESC')
      .addOrderBy('a.id', 'DESC')
      .limit(limit + 1)
      .getRawMany<AuditRow>();
    return toPage(rows, limit, (r) => r.id, toEntry);
  }

  /** `?actorId=` naming a user outside the caller's AdminUser scope answers 404 (API.md "Lists"). */
  private async assertActorVisible(access: AccessContext, actorId: string): Promise<void> {
    const qb = this.db.manager
      .createQueryBuilder()
      .from('users', 'u')
      .select('u.id', 'id')
      .where('u.id = :actorId', { actorId });
    whereAccessible(qb, access.ability, 'read', 'AdminUser', SUBJECT_SQL.AdminUser, 'u');
    if (!(await qb.getRawOne())) throw Errors.notFound('User not found');
  }
}
