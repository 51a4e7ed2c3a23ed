import type { Readable } from 'node:stream';
import { Injectable, Logger } from '@nestjs/common';
import type { PoolClient } from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import { DataSource, type QueryRunner } from 'typeorm';
import type { AccessContext } from '../../abilities/access-context';
import { inlineParameters } from '../../database/inline-parameters';
import { contextStatement, Db } from '../../database/request-context';
import {
  dbSessionContextOf,
  isWholeScope,
  patientScopeSql,
  SqlParams,
  testRowsSql,
} from '../patients/clinical-sql';
import { isoSql } from '../patients/iso-date-time';
import { PatientsService } from '../patients/patients.service';
import { CopyBinaryToLines } from './copy-binary-lines';
import { csvFieldSql, csvLine, csvLineSql, type CsvSqlKind } from './csv';

export const EXPORT_KINDS = ['patients', 'vitals', 'assessments'] as const;
export type ExportKind = (typeof EXPORT_KINDS)[number];

interface ExportQuery {
  readonly header: readonly string[];
  readonly sql: string;
  readonly values: unknown[];
}

/**
 * Anonymised CSV exports (PRODUCT.md §3: subject ids only — no names, emails, initials or
 * free-text notes), filtered in SQL with the same scope as the lists. PostgreSQL renders each
 * row as a finished CSV line (csvLineSql, the rules of csvField) and streams them with
 * `COPY (…) TO STDOUT (FORMAT binary)`; the app turns that into CRLF-terminated bytes
 * (CopyBinaryToLines) without a JavaScript object per row. Backpressure holds: when the client
 * reads slowly, the database connection's socket is paused, so memory stays flat whatever the
 * export's size (a FETCH loop over a cursor allocated one object per row, and the heap grew by
 * ~100 MB per million rows between full collections).
 *
 * The handlers run outside the request transaction (@OwnTransaction): a streamed body
 * outlives the handler, so the export opens its own REPEATABLE READ transaction (one
 * consistent snapshot) carrying the caller's RLS context (COPY obeys row-level security), and
 * ends it when the stream ends, fails or the client goes away.
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
   * Starts the COPY and waits for its first bytes before answering, so that a failure to
   * start is a proper error response rather than a truncated 200.
   */
  async open(
    access: AccessContext,
    kind: ExportKind,
    includeTest: boolean | undefined,
  ): Promise<Readable> {
    const query = this.query(access, kind, includeTest);
    const runner = this.dataSource.createQueryRunner();
    let copy: Readable;
    try {
      const client = (await runner.connect()) as PoolClient;
      await runner.startTransaction('REPEATABLE READ');
      const context = contextStatement(dbSessionContextOf(access.principal));
      await runner.query(context.sql, context.params);
      await this.db.runWith(runner.manager, () =>
        this.patients.auditPlatformRead(access, 'Patient', null, null, {
          route: `GET /exports/${kind}.csv`,
          includeTest: includeTest === true,
        }),
      );
      // COPY takes no parameters: the values are inlined as quoted literals.
      copy = client.query(
        copyTo(`COPY (${inlineParameters(query.sql, query.values)}) TO STDOUT (FORMAT binary)`),
      );
      await firstBytes(copy);
    } catch (error) {
      await this.finish(runner, false);
      throw error;
    }
    const lines = new CopyBinaryToLines(csvLine(query.header));
    let completed = false;
    copy.on('error', (error) => lines.destroy(error));
    lines.on('end', () => {
      completed = true;
      void this.finish(runner, true);
    });
    lines.on('close', () => {
      if (completed) return;
      // The client went away or the stream failed mid-COPY: the connection is still in COPY
      // mode, so it is closed (PostgreSQL rolls the transaction back) and leaves the pool.
      copy.destroy();
      void this.abort(runner);
    });
    return copy.pipe(lines);
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

  private async abort(runner: QueryRunner): Promise<void> {
    const client = (await runner.connect()) as PoolClient & {
      connection?: { stream?: { destroy(): void } };
    };
    client.connection?.stream?.destroy();
    await runner.release();
  }

  /** The export's statement: one CSV line per row; the header's names are its columns. */
  private query(
    access: AccessContext,
    kind: ExportKind,
    includeTest: boolean | undefined,
  ): ExportQuery {
    const params = new SqlParams();
    const testRows = testRowsSql(access, includeTest);
    switch (kind) {
      case 'patients':
        // `safe`: subject ids and phases by their CHECK constraints, timestamps by format.
        return csvQuery(params, {
          columns: [
            ['subject_id', 'p.subject_id', 'safe'],
            ['is_test', 'p.is_test', 'boolean'],
            ['phase', 'p.phase', 'safe'],
            ['substance', 'p.substance', 'text'],
            ['medications', "array_to_string(p.medications, ';')", 'text'],
            ['created_at', isoSql('p.created_at'), 'safe'],
            [
              'archived_at',
              `CASE WHEN p.archived_at IS NULL THEN NULL ELSE ${isoSql('p.archived_at')} END`,
              'safe',
            ],
          ],
          from: 'patients p',
          where: `${patientScopeSql(access, 'read', 'Patient', params)} AND ${testRows}`,
          orderBy: ['p.created_at', 'p.id'],
        });
      case 'vitals': {
        const scope = patientScopeSql(access, 'read', 'TreatmentSession', params);
        // A scoped caller's rows are found from its patients, through the sessions' patient
        // index and the vitals' session index (PostgreSQL cannot estimate the RLS policy on
        // vitals, and would otherwise scan all of them: 12 s instead of 0.2 s for a tenant at
        // 1M patients). An unconditional scope (the platform) reads vitals in index order.
        const joinPatients = isWholeScope(scope)
          ? 'p.id = v.patient_id'
          : 'p.id = s.patient_id AND p.id = v.patient_id';
        // Notes are free text (they could name someone): never exported.
        return csvQuery(params, {
          columns: [
            ['subject_id', 'p.subject_id', 'safe'],
            ['session_id', 'v.session_id::text', 'safe'],
            ['substance', 's.substance', 'text'],
            ['recorded_at', isoSql('v.recorded_at'), 'safe'],
            ['heart_rate', 'v.heart_rate', 'number'],
            ['systolic', 'v.systolic', 'number'],
            ['diastolic', 'v.diastolic', 'number'],
            ['spo2', 'v.spo2', 'number'],
            ['temperature_c', 'v.temperature_c::text', 'decimal'],
            ['qt_ms', 'v.qt_ms', 'number'],
            ['qtc_bazett_ms', 'v.qtc_bazett_ms::text', 'decimal'],
            ['qtc_fridericia_ms', 'v.qtc_fridericia_ms::text', 'decimal'],
            [
              'alerts',
              "(SELECT string_agg(a->>'code', ';') FROM jsonb_array_elements(v.alerts) a)",
              'text',
            ],
          ],
          from: `vitals v
                 JOIN treatment_sessions s ON s.id = v.session_id
                 JOIN patients p ON ${joinPatients}`,
          where: `${scope} AND ${testRows}`,
          orderBy: ['v.session_id', 'v.recorded_at', 'v.id'],
        });
      }
      case 'assessments':
        return csvQuery(params, {
          columns: [
            ['subject_id', 'p.subject_id', 'safe'],
            ['instrument', 'a.instrument', 'safe'],
            ['administered_at', isoSql('a.administered_at'), 'safe'],
            ['score', 'a.score::text', 'decimal'],
            ['severity', 'a.severity', 'text'],
            ['complete', 'a.complete', 'boolean'],
            ['answers', "array_to_string(a.answers, ';')", 'text'],
          ],
          from: `assessments a
                 JOIN patients p ON p.id = a.patient_id`,
          where: `${patientScopeSql(access, 'read', 'Assessment', params)} AND ${testRows}`,
          orderBy: ['a.administered_at', 'a.id'],
        });
    }
  }
}

/** The first bytes of a COPY, or its error (e.g. refused before any row). */
function firstBytes(stream: Readable): Promise<void> {
  return new Promise((done, fail) => {
    const onReadable = (): void => {
      stream.off('error', onError);
      done();
    };
    const onError = (error: Error): void => {
      stream.off('readable', onReadable);
      fail(error);
    };
    stream.once('readable', onReadable);
    stream.once('error', onError);
  });
}

interface CsvQuerySpec {
  /** CSV column name, SQL expression, and how csvFieldSql renders it. */
  readonly columns: readonly (readonly [string, string, CsvSqlKind])[];
  readonly from: string;
  readonly where: string;
  readonly orderBy: readonly string[];
}

/**
 * The inner query selects each column once per row; the outer one renders them as one CSV line
 * (the quoting rule names a column several times: it must be a plain column there, not a
 * subquery evaluated again and again), in the inner query's order.
 */
function csvQuery(params: SqlParams, spec: CsvQuerySpec): ExportQuery {
  const inner = [
    ...spec.columns.map(([name, expression]) => `${expression} AS ${name}`),
    ...spec.orderBy.map((key, i) => `${key} AS sort_${i}`),
  ];
  return {
    header: spec.columns.map(([name]) => name),
    sql: `SELECT ${csvLineSql(spec.columns.map(([name, , kind]) => csvFieldSql(`r.${name}`, kind)))} AS line
            FROM (SELECT ${inner.join(', ')} FROM ${spec.from} WHERE ${spec.where}) r
           ORDER BY ${spec.orderBy.map((_, i) => `r.sort_${i}`).join(', ')}`,
    values: params.values,
  };
}
