import { Injectable } from '@nestjs/common';
import type { AccessContext } from '../../abilities/access-context';
import { Db } from '../../database/request-context';
import type { AuditAction, AuditSubjectType } from './audit-actions';

export interface AuditEntry {
  readonly action: AuditAction;
  readonly subjectType: AuditSubjectType;
  /** The record's id; composite keys as `tenantId/userId` style strings. */
  readonly subjectId: string | null;
  /** The tenant the row belongs to (tenant admins read their tenant's log); null = platform. */
  readonly tenantId: string | null;
  /** Small JSON facts (ids, roles, before/after); never secrets, never clinical free text. */
  readonly details?: Readonly<Record<string, unknown>>;
}

/** Who did it: the request's AccessContext, or an explicit actor outside a request (CLI, jobs). */
export type AuditActor =
  | Pick<AccessContext, 'principal' | 'requestId'>
  | { readonly actorId: string | null; readonly requestId: string | null };

function actorOf(actor: AuditActor): { actorId: string | null; requestId: string | null } {
  return 'principal' in actor ? { actorId: actor.principal.id, requestId: actor.requestId } : actor;
}

/**
 * The audit log. Rows are written through `db.manager`, i.e. inside the request's transaction:
 * a change and its audit row commit together or not at all.
 */
@Injectable()
export class AuditService {
  constructor(private readonly db: Db) {}

  async record(entry: AuditEntry, actor: AuditActor): Promise<void> {
    const { actorId, requestId } = actorOf(actor);
    await this.db.manager.query(
      `INSERT INTO audit_log (tenant_id, actor_id, action, subject_type, subject_id, request_id, details)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [
        entry.tenantId,
        actorId,
        entry.action,
        entry.subjectType,
        entry.subjectId,
        requestId,
        JSON.stringify(entry.details ?? {}),
      ],
    );
  }
}
