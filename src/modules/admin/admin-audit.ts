import { Injectable } from '@nestjs/common';
import { AuditService, type AuditActor } from '../audit/audit.service';
import type { AuditAction, AuditSubjectType } from '../audit/audit-actions';

/** The audit actions of the admin panel (listed with every other action in AUDIT_ACTIONS). */
export type AdminAuditAction = Extract<
  AuditAction,
  'user.create' | 'user.update' | 'partner.provision' | 'test_data.scrub' | 'feature_flag.set'
>;
export type AdminAuditSubjectType = Extract<AuditSubjectType, 'User' | 'TestData' | 'FeatureFlag'>;

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
    const via = 'principal' in actor ? 'api' : 'cli';
    return this.audit.record(
      {
        ...entry,
        details: { ...entry.details, via },
      },
      actor,
    );
  }
}
