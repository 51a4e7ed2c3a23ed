import { Readable } from 'node:stream';
import { Injectable, Logger } from '@nestjs/common';
import { DataSource, type QueryRunner } from 'typeorm';
import type { AccessContext } from '../../abilities/access-context';
import { contextStatement, Db } from '../../database/request-context';
import {
  dbSessionContextOf,
  patientScopeSql,
  SqlParams,
  testRowsSql,
} from '../patients/clinical-sql';
import { isoSql } from '../patients/iso-date-time';
import { PatientsService } from '../patients/patients.service';
import { type CsvValue, csvLine } from './csv';

export const EXPORT_KINDS = ['patients', 'vitals', 'assessments'] as const;
export type ExportKind = (typeof EXPORT_KINDS)[number];

/** Rows per FETCH: bounds the memory of one round trip whatever the export's size. */
export const EXPORT_BATCH_ROWS = 1000;

type Row = Record<string, CsvValue>;

interface ExportQuery {
  readonly header: readonly string[];
  readonly sql: string;
  readonly values: unknown[];
}

/**
 * Anonymised CSV exports (PRODUCT.md §3: subject ids only — no names, emails, initials or
 * free-text notes), filtered in SQL with the same scope as the lists, streamed from a
 * server-side cursor: each FETCH of EXPORT_BATCH_ROWS rows is pulled only when the HTTP
 * response has drained the previous one (Readable.from over an async generator), so memory
 * stays constant whatever the row count.
 *
 * The handlers run outside the request transaction (@OwnTransaction): a streamed body
 * outlives the handler, so the export opens its own REPEATABLE READ transaction (one
 * consistent snapshot) carrying the caller's RLS context, and ends it when the stream ends,
 * fails or the client goes away.
 */
@Injectable()
export class ExportsService {
  private readonly logger = new Logger(ExportsService.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly db: Db,
    private readonly patients: PatientsService,
  ) {}

  /**
   * Opens the cursor and reads the first batch before answering, so that a failure to start
   * is a proper error response rather than a truncated 200.
   */
  async open(
    access: AccessContext,
    kind: ExportKind,
    includeTest: boolean | undefined,
  ): Promise<Readable> {
    const query = this.query(access, kind, includeTest);
    const runner = this.dataSource.createQueryRunner();
    let first: Row[];
    try {
      await runner.connect();
      await runner.startTransaction('REPEATABLE READ');
      const context = contextStatement(dbSessionContextOf(access.principal));
      await runner.query(context.sql, context.params);
      await this.db.runWith(runner.manager, () =>
        this.patients.auditPlatformRead(access, 'Patient', null, null, {
          route: `GET /exports/${kind}.csv`,
          includeTest: includeTest === true,
        }),
      );
      await runner.query(`DECLARE export_cursor NO SCROLL CURSOR FOR ${query.sql}`, query.values);
      first = await this.fetch(runner);
    } catch (error) {
      await this.finish(runner, false);
      throw error;
    }
    return Readable.from(this.lines(runner, query.header, first), {
      objectMode: false,
      highWaterMark: 64 * 1024,
    });
  }

  private async *lines(
    runner: QueryRunner,
    header: readonly string[],
    first: Row[],
  ): AsyncGenerator<string> {
    let committed = false;
    try {
      yield csvLine(header);
      let batch = first;
      while (batch.length > 0) {
        let chunk = '';
        for (const row of batch) chunk += csvLine(header.map((column) => row[column]));
        yield chunk;
        if (batch.length < EXPORT_BATCH_ROWS) break;
        batch = await this.fetch(runner);
      }
      committed = true;
    } finally {
      // Also runs when the client disconnects: the stream is destroyed and the generator returned.
      await this.finish(runner, committed);
    }
  }

  private async fetch(runner: QueryRunner): Promise<Row[]> {
    return (await runner.query(`FETCH ${EXPORT_BATCH_ROWS} FROM export_cursor`)) as Row[];
  }

  private async finish(runner: QueryRunner, commit: boolean): Promise<void> {
    try {
      if (runner.isTransactionActive)
        await (commit ? runner.commitTransaction() : runner.rollbackTransaction());
    } catch (error) {
      this.logger.warn(`export transaction did not end cleanly: ${(error as Error).message}`);
    } finally {
      await runner.release();
    }
  }

  /** The export's statement: column names are the CSV header (snake_case, stable for tools). */
  private query(
    access: AccessContext,
    kind: ExportKind,
    includeTest: boolean | undefined,
  ): ExportQuery {
    const params = new SqlParams();
    const testRows = testRowsSql(access, includeTest);
    switch (kind) {
      case 'patients':
        return {
          header: [
            'subject_id',
            'is_test',
            'phase',
            'substance',
            'medications',
            'created_at',
            'archived_at',
          ],
          sql: `SELECT p.subject_id, p.is_test, p.phase, p.substance, array_to_string(p.medications, ';') AS medications,
                       ${isoSql('p.created_at')} AS created_at,
                       CASE WHEN p.archived_at IS NULL THEN NULL ELSE ${isoSql('p.archived_at')} END AS archived_at
                FROM patients p
                WHERE ${patientScopeSql(access, 'read', 'Patient', params)} AND ${testRows}
                ORDER BY p.created_at, p.id`,
          values: params.values,
        };
      case 'vitals': {
        const scope = patientScopeSql(access, 'read', 'TreatmentSession', params);
        // A scoped caller's rows are found from its patients, through the sessions' patient
        // index and the vitals' session index (PostgreSQL cannot estimate the RLS policy on
        // vitals, and would otherwise scan all of them: 12 s instead of 0.6 s for a tenant at 1M
        // patients). An unconditional scope (the platform) reads vitals in index order instead.
        const joinPatients =
          scope === '(TRUE)'
            ? 'p.id = v.patient_id'
            : 'p.id = s.patient_id AND p.id = v.patient_id';
        return {
          header: [
            'subject_id',
            'session_id',
            'substance',
            'recorded_at',
            'heart_rate',
            'systolic',
            'diastolic',
            'spo2',
            'temperature_c',
            'qt_ms',
            'qtc_bazett_ms',
            'qtc_fridericia_ms',
            'alerts',
          ],
          // Notes are free text (they could name someone): never exported.
          sql: `SELECT p.subject_id, v.session_id, s.substance, ${isoSql('v.recorded_at')} AS recorded_at, v.heart_rate, v.systolic,
                       v.diastolic, v.spo2, v.temperature_c::text AS temperature_c, v.qt_ms, v.qtc_bazett_ms::text AS qtc_bazett_ms,
                       v.qtc_fridericia_ms::text AS qtc_fridericia_ms,
                       (SELECT string_agg(a->>'code', ';') FROM jsonb_array_elements(v.alerts) a) AS alerts
                FROM vitals v
                JOIN treatment_sessions s ON s.id = v.session_id
                JOIN patients p ON ${joinPatients}
                WHERE ${scope} AND ${testRows}
                ORDER BY v.session_id, v.recorded_at, v.id`,
          values: params.values,
        };
      }
      case 'assessments':
        return {
          header: [
            'subject_id',
            'instrument',
            'administered_at',
            'score',
            'severity',
            'complete',
            'answers',
          ],
          sql: `SELECT p.subject_id, a.instrument, ${isoSql('a.administered_at')} AS administered_at, a.score::text AS score,
                       a.severity, a.complete, array_to_string(a.answers, ';') AS answers
                FROM assessments a
                JOIN patients p ON p.id = a.patient_id
                WHERE ${patientScopeSql(access, 'read', 'Assessment', params)} AND ${testRows}
                ORDER BY a.administered_at, a.id`,
          values: params.values,
        };
    }
  }
}
