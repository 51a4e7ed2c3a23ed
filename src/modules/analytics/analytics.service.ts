import { Injectable } from '@nestjs/common';
import type { AccessContext } from '../../abilities/access-context';
import { Db } from '../../database/request-context';
import { num, patientScopeSql, SqlParams, testRowsSql } from '../patients/clinical-sql';
import type {
  InstrumentOutcomeDto,
  OutcomesDto,
  OutcomesQueryDto,
  SubstanceOutcomeDto,
} from './analytics.dto';

interface AggregateRow {
  readonly kind: 'patients' | 'outcome' | 'safety';
  readonly substance: string;
  readonly instrument: 'PHQ9' | 'GAD7' | null;
  readonly n: number;
  readonly mean_baseline: string | null;
  readonly mean_latest: string | null;
  readonly mean_change: string | null;
  readonly responders: number;
  readonly sessions: number;
  readonly adverse_events: number;
}

const SUBSTANCE_SQL = (column: string): string =>
  `COALESCE(NULLIF(lower(btrim(${column})), ''), 'unspecified')`;

function per100(events: number, sessions: number): number | null {
  return sessions === 0 ? null : Math.round((events / sessions) * 100 * 100) / 100;
}

function emptyOutcome(): InstrumentOutcomeDto {
  return {
    n: 0,
    meanBaseline: null,
    meanLatest: null,
    meanChange: null,
    responders: 0,
    responderRate: null,
  };
}

/**
 * Outcome aggregates over the caller's scope, computed in SQL in one statement: per substance,
 * PHQ-9 and GAD-7 change from each patient's first (baseline) to latest administration,
 * responders (≥ 50% reduction from a non-zero baseline), and adverse events per 100 sessions.
 * Test rows follow the list rules (live callers never; PLATFORM_ADMIN with includeTest=true).
 */
@Injectable()
export class AnalyticsService {
  constructor(private readonly db: Db) {}

  async outcomes(access: AccessContext, query: OutcomesQueryDto): Promise<OutcomesDto> {
    const params = new SqlParams();
    const testRows = testRowsSql(access, query.includeTest);
    const rows: AggregateRow[] = await this.db.manager.query(
      `WITH scoped AS (
         SELECT p.id, ${SUBSTANCE_SQL('p.substance')} AS substance
         FROM patients p
         WHERE ${patientScopeSql(access, 'read', 'Assessment', params)} AND ${testRows}
       ), ranked AS (
         SELECT a.patient_id, a.instrument, a.score,
                row_number() OVER (PARTITION BY a.patient_id, a.instrument ORDER BY a.administered_at, a.id) AS first_rank,
                row_number() OVER (PARTITION BY a.patient_id, a.instrument ORDER BY a.administered_at DESC, a.id DESC) AS last_rank,
                count(*) OVER (PARTITION BY a.patient_id, a.instrument) AS administrations
         FROM assessments a JOIN scoped s ON s.id = a.patient_id
         WHERE a.instrument IN ('PHQ9', 'GAD7')
       ), pairs AS (
         SELECT patient_id, instrument,
                max(score) FILTER (WHERE first_rank = 1) AS baseline,
                max(score) FILTER (WHERE last_rank = 1) AS latest
         FROM ranked WHERE administrations >= 2
         GROUP BY patient_id, instrument
       ), sessions AS (
         SELECT ${SUBSTANCE_SQL('ts.substance')} AS substance, count(*)::int AS sessions,
                sum((SELECT count(*) FROM adverse_events ae WHERE ae.session_id = ts.id))::int AS adverse_events
         FROM treatment_sessions ts JOIN patients p ON p.id = ts.patient_id
         WHERE ${patientScopeSql(access, 'read', 'TreatmentSession', params)} AND ${testRows}
         GROUP BY 1
       )
       SELECT 'patients' AS kind, substance, NULL AS instrument, count(*)::int AS n, NULL::numeric AS mean_baseline,
              NULL::numeric AS mean_latest, NULL::numeric AS mean_change, 0 AS responders, 0 AS sessions, 0 AS adverse_events
       FROM scoped GROUP BY substance
       UNION ALL
       SELECT 'outcome', s.substance, pr.instrument, count(*)::int, round(avg(pr.baseline), 2), round(avg(pr.latest), 2),
              round(avg(pr.latest - pr.baseline), 2),
              (count(*) FILTER (WHERE pr.baseline > 0 AND pr.latest <= pr.baseline * 0.5))::int, 0, 0
       FROM pairs pr JOIN scoped s ON s.id = pr.patient_id
       GROUP BY s.substance, pr.instrument
       UNION ALL
       SELECT 'safety', substance, NULL, 0, NULL, NULL, NULL, 0, sessions, adverse_events FROM sessions`,
      params.values,
    );

    const bySubstance = new Map<string, SubstanceOutcomeDto>();
    const entry = (substance: string): SubstanceOutcomeDto => {
      let item = bySubstance.get(substance);
      if (!item) {
        item = {
          substance,
          patients: 0,
          phq9: emptyOutcome(),
          gad7: emptyOutcome(),
          sessions: 0,
          adverseEvents: 0,
          adverseEventsPer100Sessions: null,
        };
        bySubstance.set(substance, item);
      }
      return item;
    };
    for (const row of rows) {
      const item = entry(row.substance);
      if (row.kind === 'patients') item.patients = row.n;
      else if (row.kind === 'safety') {
        item.sessions = row.sessions;
        item.adverseEvents = row.adverse_events;
        item.adverseEventsPer100Sessions = per100(row.adverse_events, row.sessions);
      } else {
        const outcome: InstrumentOutcomeDto = {
          n: row.n,
          meanBaseline: num(row.mean_baseline),
          meanLatest: num(row.mean_latest),
          meanChange: num(row.mean_change),
          responders: row.responders,
          responderRate: row.n === 0 ? null : Math.round((row.responders / row.n) * 1000) / 1000,
        };
        if (row.instrument === 'PHQ9') item.phq9 = outcome;
        else item.gad7 = outcome;
      }
    }
    const items = [...bySubstance.values()].sort((a, b) =>
      a.substance < b.substance ? -1 : a.substance > b.substance ? 1 : 0,
    );
    const sessions = items.reduce((sum, i) => sum + i.sessions, 0);
    const adverseEvents = items.reduce((sum, i) => sum + i.adverseEvents, 0);
    return {
      items,
      nextCursor: null,
      totals: {
        patients: items.reduce((sum, i) => sum + i.patients, 0),
        sessions,
        adverseEvents,
        adverseEventsPer100Sessions: per100(adverseEvents, sessions),
      },
      generatedAt: new Date().toISOString(),
    };
  }
}
