import { Injectable } from '@nestjs/common';
import { Errors } from '../../common/errors/api-exception';
import { Db } from '../../database/request-context';
import type { AuditActor } from '../audit/audit.service';
import { AdminAudit } from '../admin/admin-audit';
import { inTransaction } from '../admin/transactions';
import type { ScrubResultDto } from './partners.dto';

/** The test patients being scrubbed: all of them, or one owner's. `$1` is the owner or NULL. */
const TARGET = `SELECT id FROM patients WHERE is_test AND ($1::uuid IS NULL OR owner_id = $1::uuid)`;

/**
 * Tables holding test rows, children before parents so every count is the table's own (no
 * row disappears through a cascade uncounted). Rows under a patient are test rows exactly
 * when their patient is (`patients_test_has_no_clinic` keeps them out of shared data).
 */
const SCRUB_ORDER: readonly { table: string; where: string }[] = [
  { table: 'interventions', where: `patient_id IN (${TARGET})` },
  { table: 'adverse_events', where: `patient_id IN (${TARGET})` },
  { table: 'subjective_logs', where: `patient_id IN (${TARGET})` },
  { table: 'doses', where: `patient_id IN (${TARGET})` },
  { table: 'vitals', where: `patient_id IN (${TARGET})` },
  { table: 'treatment_sessions', where: `patient_id IN (${TARGET})` },
  { table: 'assessments', where: `patient_id IN (${TARGET})` },
  { table: 'patient_phase_transitions', where: `patient_id IN (${TARGET})` },
  { table: 'patients', where: `id IN (${TARGET})` },
  { table: 'protocols', where: `is_test AND ($1::uuid IS NULL OR owner_id = $1::uuid)` },
];

export const SCRUBBED_TABLES = SCRUB_ORDER.map((s) => s.table);

/** POST /admin/test-data/scrub and `npm run cli -- scrub-test-data`: one transaction, counted, audited. */
@Injectable()
export class TestDataService {
  constructor(
    private readonly db: Db,
    private readonly audit: AdminAudit,
  ) {}

  scrub(partnerId: string | null, actor: AuditActor): Promise<ScrubResultDto> {
    return inTransaction(this.db, async () => {
      const m = this.db.manager;
      if (partnerId) {
        const users: unknown[] = await m.query(`SELECT 1 FROM users WHERE id = $1`, [partnerId]);
        if (users.length === 0) throw Errors.notFound('Partner not found');
      }
      const counts: Record<string, number> = {};
      for (const { table, where } of SCRUB_ORDER) {
        const rows: { n: number }[] = await m.query(
          `WITH d AS (DELETE FROM ${table} WHERE ${where} RETURNING 1) SELECT count(*)::int AS n FROM d`,
          [partnerId],
        );
        counts[table] = rows[0]?.n ?? 0;
      }
      const total = Object.values(counts).reduce((a, b) => a + b, 0);
      await this.audit.record(
        {
          action: 'test_data.scrub',
          subjectType: 'TestData',
          subjectId: partnerId,
          tenantId: null,
          details: { partnerId, counts, total },
        },
        actor,
      );
      return { partnerId, counts, total };
    });
  }
}
