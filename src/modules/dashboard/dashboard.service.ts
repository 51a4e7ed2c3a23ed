import { Injectable } from '@nestjs/common';
import type { AccessContext } from '../../abilities/access-context';
import { type Page, pageLimit, toPage } from '../../common/pagination/pagination';
import { Db } from '../../database/request-context';
import {
  iso,
  keysetSql,
  num,
  patientScopeSql,
  SqlParams,
  testRowsSql,
} from '../patients/clinical-sql';
import type { PatientPhase } from '../patients/patients.dto';
import { PatientsService } from '../patients/patients.service';
import type { VitalAlert } from '../session-vitals/qtc';
import type { DashboardItemDto, DashboardQueryDto } from './dashboard.dto';

interface DashboardRow {
  readonly session_id: string;
  readonly patient_id: string;
  readonly subject_id: string;
  readonly phase: PatientPhase;
  readonly clinic_id: string | null;
  readonly substance: string;
  readonly started_at: Date;
  readonly cursor_created_at: string;
  readonly open_adverse_events: number;
  readonly v_id: string | null;
  readonly v_recorded_at: Date | null;
  readonly v_heart_rate: number | null;
  readonly v_systolic: number | null;
  readonly v_diastolic: number | null;
  readonly v_spo2: number | null;
  readonly v_temperature_c: string | null;
  readonly v_qt_ms: number | null;
  readonly v_qtc_bazett_ms: string | null;
  readonly v_qtc_fridericia_ms: string | null;
  readonly v_alerts: VitalAlert[] | null;
  readonly v_note: string | null;
  readonly v_created_by: string | null;
  readonly v_created_at: Date | null;
}

function toItem(row: DashboardRow): DashboardItemDto {
  const latest =
    row.v_id === null
      ? null
      : {
          id: row.v_id,
          sessionId: row.session_id,
          patientId: row.patient_id,
          recordedAt: iso(row.v_recorded_at)!,
          heartRate: row.v_heart_rate,
          systolic: row.v_systolic,
          diastolic: row.v_diastolic,
          spo2: row.v_spo2,
          temperatureC: num(row.v_temperature_c),
          qtMs: row.v_qt_ms,
          qtcBazettMs: num(row.v_qtc_bazett_ms),
          qtcFridericiaMs: num(row.v_qtc_fridericia_ms),
          alerts: row.v_alerts ?? [],
          note: row.v_note,
          createdBy: row.v_created_by!,
          createdAt: iso(row.v_created_at)!,
        };
  return {
    sessionId: row.session_id,
    patientId: row.patient_id,
    subjectId: row.subject_id,
    phase: row.phase,
    clinicId: row.clinic_id,
    substance: row.substance,
    startedAt: iso(row.started_at)!,
    latestVitals: latest,
    alerts: latest?.alerts ?? [],
    openAdverseEvents: row.open_adverse_events,
  };
}

/**
 * The multi-patient dashboard: active sessions in scope, each with its latest vitals reading
 * and standing alerts, in ONE statement (a LATERAL join picks the latest reading per session
 * through the (session_id, recorded_at, id) index), keyset-paginated newest first.
 */
@Injectable()
export class DashboardService {
  constructor(
    private readonly db: Db,
    private readonly patients: PatientsService,
  ) {}

  async list(access: AccessContext, query: DashboardQueryDto): Promise<Page<DashboardItemDto>> {
    const params = new SqlParams();
    const where = [
      's.ended_at IS NULL',
      'p.archived_at IS NULL',
      patientScopeSql(access, 'read', 'TreatmentSession', params),
      testRowsSql(access, query.includeTest),
      keysetSql(query.cursor, 's.created_at', 's.id', params),
    ];
    const limit = pageLimit(query.limit);
    const rows: DashboardRow[] = await this.db.manager.query(
      `SELECT s.id AS session_id, s.patient_id, p.subject_id, p.phase, p.clinic_id, s.substance, s.started_at,
              s.created_at::text AS cursor_created_at,
              (SELECT count(*) FROM adverse_events ae WHERE ae.session_id = s.id AND ae.resolved_at IS NULL)::int AS open_adverse_events,
              lv.id AS v_id, lv.recorded_at AS v_recorded_at, lv.heart_rate AS v_heart_rate, lv.systolic AS v_systolic,
              lv.diastolic AS v_diastolic, lv.spo2 AS v_spo2, lv.temperature_c AS v_temperature_c, lv.qt_ms AS v_qt_ms,
              lv.qtc_bazett_ms AS v_qtc_bazett_ms, lv.qtc_fridericia_ms AS v_qtc_fridericia_ms, lv.alerts AS v_alerts,
              lv.note AS v_note, lv.created_by AS v_created_by, lv.created_at AS v_created_at
       FROM treatment_sessions s
       JOIN patients p ON p.id = s.patient_id
       LEFT JOIN LATERAL (
         SELECT v.* FROM vitals v WHERE v.session_id = s.id ORDER BY v.recorded_at DESC, v.id DESC LIMIT 1
       ) lv ON TRUE
       WHERE ${where.join(' AND ')}
       ORDER BY s.created_at DESC, s.id DESC
       LIMIT ${params.add(limit + 1)}`,
      params.values,
    );
    const page = toPage(rows, limit, (r) => r.session_id, toItem);
    await this.patients.auditPlatformRead(access, 'TreatmentSession', null, null, {
      route: 'GET /dashboard',
      sessionIds: page.items.map((i) => i.sessionId),
      includeTest: query.includeTest === true,
    });
    return page;
  }
}
