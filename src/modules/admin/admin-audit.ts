import { Injectable } from '@nestjs/common';
import { AuditService, type AuditActor } from '../audit/audit.service';
import type { AuditAction, AuditSubjectType } from '../audit/audit-actions';

/**
 * Audit actions of the admin panel. They belong in src/modules/audit/audit-actions.ts
 * (AUDIT_ACTIONS / AUDIT_SUBJECT_TYPES); until the audit module lists them, they are typed
 * here and written through AuditService like every other row.
 */
export const ADMIN_AUDIT_ACTIONS = [
  'user.create',
  'user.update',
  'partner.provision',
  'test_data.scrub',
  'feature_flag.set',
] as const;
export type AdminAuditAction = (typeof ADMIN_AUDIT_ACTIONS)[number];

export const ADMIN_AUDIT_SUBJECT_TYPES = ['User', 'TestData', 'FeatureFlag'] as const;
export type AdminAuditSubjectType = (typeof ADMIN_AUDIT_SUBJECT_TYPES)[number];

export interface AdminAuditEntry {
  readonly action: AdminAuditAction;
  readonly subjectType: AdminAuditSubjectType;
  readonly subjectId: string | null;
  readonly tenantId: string | null;
  readonly details?: Readonly<Record<string, unknown>>;
}

/** Who did it from the CLI: nobody signed in; the row says so in its details. */
export const CLI_ACTOR: AuditActor = { actorId: null, requestId: null };

@Injectable()
export class AdminAudit {
  constructor(private readonly audit: AuditService) {}

  record(entry: AdminAuditEntry, actor: AuditActor): Promise<void> {
    const action: string = entry.action;
    const subjectType: string = entry.subjectType;
    const via = 'principal' in actor ? 'api' : 'cli';
    return this.audit.record(
      {
        ...entry,
        action: action as AuditAction,
        subjectType: subjectType as AuditSubjectType,
        details: { ...entry.details, via },
      },
      actor,
    );
  }
}
