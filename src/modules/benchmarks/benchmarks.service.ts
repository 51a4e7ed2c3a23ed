import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { type Page, pageLimit, toPage } from '../../common/pagination/pagination';
import { Db } from '../../database/request-context';
import { iso, keysetSql, SqlParams } from '../patients/clinical-sql';
import type { CohortDto, ListCohortsQueryDto } from './benchmarks.dto';
import type { CohortRow } from './cohort-csv';

interface CohortDbRow {
  readonly id: string;
  readonly cohort: string;
  readonly substance: string;
  readonly indication: string;
  readonly n: number;
  readonly instrument: string;
  readonly baseline_mean: string;
  readonly followup_mean: string;
  readonly followup_weeks: string;
  readonly source_citation: string;
  readonly licence: string;
  readonly created_at: Date;
  readonly updated_at: Date;
  readonly cursor_created_at: string;
}

function toCohortDto(row: CohortDbRow): CohortDto {
  return {
    id: row.id,
    cohort: row.cohort,
    substance: row.substance,
    indication: row.indication,
    n: row.n,
    instrument: row.instrument,
    baselineMean: Number(row.baseline_mean),
    followupMean: Number(row.followup_mean),
    followupWeeks: Number(row.followup_weeks),
    sourceCitation: row.source_citation,
    licence: row.licence,
    createdAt: iso(row.created_at)!,
    updatedAt: iso(row.updated_at)!,
  };
}

export interface UpsertCounts {
  inserted: number;
  updated: number;
  unchanged: number;
}

/** Rows per INSERT statement of an import. */
export const COHORT_UPSERT_BATCH = 500;

/** Benchmark cohorts: public reference data, not tenant-scoped (read-only through the API). */
@Injectable()
export class BenchmarksService {
  constructor(private readonly db: Db) {}

  async list(query: ListCohortsQueryDto): Promise<Page<CohortDto>> {
    const params = new SqlParams();
    const where = [keysetSql(query.cursor, 'b.created_at', 'b.id', params)];
    if (query.substance)
      where.push(`lower(b.substance) = lower(${params.add(query.substance.trim())})`);
    if (query.instrument)
      where.push(`upper(b.instrument) = upper(${params.add(query.instrument.trim())})`);
    const limit = pageLimit(query.limit);
    const rows: CohortDbRow[] = await this.db.manager.query(
      `SELECT b.*, b.created_at::text AS cursor_created_at FROM benchmark_cohorts b
       WHERE ${where.join(' AND ')}
       ORDER BY b.created_at DESC, b.id DESC
       LIMIT ${params.add(limit + 1)}`,
      params.values,
    );
    return toPage(rows, limit, (r) => r.id, toCohortDto);
  }

  /**
   * Idempotent upsert on (cohort, substance, indication, instrument): new rows are inserted,
   * changed rows updated, identical rows left alone (so a re-run reports 0 inserted, 0 updated).
   */
  async upsert(
    manager: EntityManager,
    rows: readonly CohortRow[],
    onProgress?: (done: number) => void,
  ): Promise<UpsertCounts> {
    const counts: UpsertCounts = { inserted: 0, updated: 0, unchanged: 0 };
    for (let start = 0; start < rows.length; start += COHORT_UPSERT_BATCH) {
      const batch = rows.slice(start, start + COHORT_UPSERT_BATCH);
      const column = <K extends keyof CohortRow>(key: K): CohortRow[K][] =>
        batch.map((r) => r[key]);
      const result: { inserted: boolean }[] = await manager.query(
        `INSERT INTO benchmark_cohorts AS b (cohort, substance, indication, n, instrument, baseline_mean, followup_mean,
                                             followup_weeks, source_citation, licence)
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::int[], $5::text[], $6::numeric[], $7::numeric[],
                              $8::numeric[], $9::text[], $10::text[])
         ON CONFLICT (cohort, substance, indication, instrument) DO UPDATE SET
           n = EXCLUDED.n, baseline_mean = EXCLUDED.baseline_mean, followup_mean = EXCLUDED.followup_mean,
           followup_weeks = EXCLUDED.followup_weeks, source_citation = EXCLUDED.source_citation, licence = EXCLUDED.licence,
           updated_at = now()
         WHERE (b.n, b.baseline_mean, b.followup_mean, b.followup_weeks, b.source_citation, b.licence)
               IS DISTINCT FROM (EXCLUDED.n, EXCLUDED.baseline_mean, EXCLUDED.followup_mean, EXCLUDED.followup_weeks,
                                 EXCLUDED.source_citation, EXCLUDED.licence)
         RETURNING (xmax = 0) AS inserted`,
        [
          column('cohort'),
          column('substance'),
          column('indication'),
          column('n'),
          column('instrument'),
          column('baselineMean'),
          column('followupMean'),
          column('followupWeeks'),
          column('sourceCitation'),
          column('licence'),
        ],
      );
      const inserted = result.filter((r) => r.inserted).length;
      counts.inserted += inserted;
      counts.updated += result.length - inserted;
      counts.unchanged += batch.length - result.length;
      onProgress?.(start + batch.length);
    }
    return counts;
  }
}
