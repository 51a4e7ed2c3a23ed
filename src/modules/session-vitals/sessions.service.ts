import { Injectable } from '@nestjs/common';
import { subject } from '@casl/ability';
import type { AccessContext } from '../../abilities/access-context';
import type { Action } from '../../abilities/actions';
import { actionDenial } from '../../abilities/denials';
import { Errors } from '../../common/errors/api-exception';
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
import { isoSql } from '../patients/iso-date-time';
import { PatientsService } from '../patients/patients.service';
import { computeVitalAlerts, qtcBazett, qtcFridericia, type VitalAlert } from './qtc';
import type {
  AdverseEventDto,
  CreateAdverseEventDto,
  CreateDoseDto,
  CreateInterventionDto,
  CreateSessionDto,
  CreateSubjectiveLogDto,
  CreateVitalsDto,
  DoseDto,
  InterventionDto,
  ListSessionsQueryDto,
  SessionDetailDto,
  SessionDto,
  SubjectiveLogDto,
  UpdateSessionDto,
  VitalsDto,
  VitalsPageQueryDto,
} from './sessions.dto';

interface SessionRow {
  readonly id: string;
  readonly tenant_id: string | null;
  readonly patient_id: string;
  readonly substance: string;
  readonly started_at: Date;
  readonly ended_at: Date | null;
  readonly created_by: string;
  readonly created_at: Date;
  readonly subject_id: string;
  readonly p_owner_id: string;
  readonly p_tenant_id: string | null;
  readonly p_clinic_id: string | null;
  readonly p_is_test: boolean;
}

const SESSION_COLUMNS = `s.id, s.tenant_id, s.patient_id, s.substance, s.started_at, s.ended_at, s.created_by, s.created_at,
  p.subject_id, p.owner_id AS p_owner_id, p.tenant_id AS p_tenant_id, p.clinic_id AS p_clinic_id, p.is_test AS p_is_test`;

interface VitalsRow {
  readonly id: string;
  readonly session_id: string;
  readonly patient_id: string;
  readonly recorded_at: Date;
  readonly heart_rate: number | null;
  readonly systolic: number | null;
  readonly diastolic: number | null;
  readonly spo2: number | null;
  readonly temperature_c: string | null;
  readonly qt_ms: number | null;
  readonly qtc_bazett_ms: string | null;
  readonly qtc_fridericia_ms: string | null;
  readonly alerts: VitalAlert[];
  readonly note: string | null;
  readonly created_by: string;
  readonly created_at: Date;
}

export const VITALS_COLUMNS = `v.id, v.session_id, v.patient_id, v.recorded_at, v.heart_rate, v.systolic, v.diastolic, v.spo2,
  v.temperature_c, v.qt_ms, v.qtc_bazett_ms, v.qtc_fridericia_ms, v.alerts, v.note, v.created_by, v.created_at`;

function toSessionDto(row: SessionRow): SessionDto {
  return {
    id: row.id,
    patientId: row.patient_id,
    subjectId: row.subject_id,
    tenantId: row.tenant_id,
    substance: row.substance,
    startedAt: iso(row.started_at)!,
    endedAt: iso(row.ended_at),
    createdBy: row.created_by,
    createdAt: iso(row.created_at)!,
  };
}

export function toVitalsDto(row: VitalsRow): VitalsDto {
  return {
    id: row.id,
    sessionId: row.session_id,
    patientId: row.patient_id,
    recordedAt: iso(row.recorded_at)!,
    heartRate: row.heart_rate,
    systolic: row.systolic,
    diastolic: row.diastolic,
    spo2: row.spo2,
    temperatureC: num(row.temperature_c),
    qtMs: row.qt_ms,
    qtcBazettMs: num(row.qtc_bazett_ms),
    qtcFridericiaMs: num(row.qtc_fridericia_ms),
    alerts: row.alerts,
    note: row.note,
    createdBy: row.created_by,
    createdAt: iso(row.created_at)!,
  };
}

interface DoseRow {
  id: string;
  session_id: string;
  mg: string;
  at: Date;
  created_by: string;
  created_at: Date;
}
function toDoseDto(row: DoseRow): DoseDto {
  return {
    id: row.id,
    sessionId: row.session_id,
    mg: Number(row.mg),
    at: iso(row.at)!,
    createdBy: row.created_by,
    createdAt: iso(row.created_at)!,
  };
}

interface InterventionRow {
  id: string;
  adverse_event_id: string;
  at: Date;
  action: string;
  created_by: string;
  created_at: Date;
}
function toInterventionDto(row: InterventionRow): InterventionDto {
  return {
    id: row.id,
    adverseEventId: row.adverse_event_id,
    at: iso(row.at)!,
    action: row.action,
    createdBy: row.created_by,
    createdAt: iso(row.created_at)!,
  };
}

/**
 * Treatment sessions and everything logged in them. Every record takes its patient's scope
 * (D12): a session is found through the patient's scope for `TreatmentSession`, and rows under
 * it copy the patient's tenant_id and patient_id.
 */
@Injectable()
export class SessionsService {
  constructor(
    private readonly db: Db,
    private readonly patients: PatientsService,
  ) {}

  async create(access: AccessContext, dto: CreateSessionDto): Promise<SessionDto> {
    const patient = await this.patients.findInScope(
      access,
      'create',
      'TreatmentSession',
      dto.patientId,
    );
    const rows: SessionRow[] = await this.db.manager.query(
      `WITH s AS (
         INSERT INTO treatment_sessions (tenant_id, patient_id, substance, started_at, created_by)
         VALUES ($1, $2, $3, $4, $5)
         RETURNING *
       )
       SELECT ${SESSION_COLUMNS} FROM s JOIN patients p ON p.id = s.patient_id`,
      [patient.tenant_id, patient.id, dto.substance, dto.startedAt, access.principal.id],
    );
    return toSessionDto(rows[0]);
  }

  async list(access: AccessContext, query: ListSessionsQueryDto): Promise<Page<SessionDto>> {
    const params = new SqlParams();
    const where = [
      patientScopeSql(access, 'read', 'TreatmentSession', params),
      testRowsSql(access, query.includeTest),
      'p.archived_at IS NULL',
      keysetSql(query.cursor, 's.created_at', 's.id', params),
    ];
    if (query.patientId) {
      // A filter naming a patient outside the caller's scope is a 404 (API.md "Lists").
      await this.patients.findInScope(access, 'read', 'TreatmentSession', query.patientId);
      where.push(`s.patient_id = ${params.add(query.patientId)}`);
    }
    const limit = pageLimit(query.limit);
    const rows: (SessionRow & { cursor_created_at: string })[] = await this.db.manager.query(
      `SELECT ${SESSION_COLUMNS}, s.created_at::text AS cursor_created_at
       FROM treatment_sessions s JOIN patients p ON p.id = s.patient_id
       WHERE ${where.join(' AND ')}
       ORDER BY s.created_at DESC, s.id DESC
       LIMIT ${params.add(limit + 1)}`,
      params.values,
    );
    const page = toPage(rows, limit, (r) => r.id, toSessionDto);
    await this.patients.auditPlatformRead(access, 'TreatmentSession', null, null, {
      route: 'GET /sessions',
      sessionIds: page.items.map((s) => s.id),
      includeTest: query.includeTest === true,
    });
    return page;
  }

  /** The session with its doses, adverse events (with interventions) and subjective logs: one query. */
  async get(access: AccessContext, id: string): Promise<SessionDetailDto> {
    const params = new SqlParams();
    const rows: (SessionRow & {
      doses: DoseDto[];
      adverse_events: AdverseEventDto[];
      subjective_logs: SubjectiveLogDto[];
    })[] = await this.db.manager.query(
      `SELECT ${SESSION_COLUMNS},
           (SELECT COALESCE(json_agg(json_build_object(
                'id', d.id, 'sessionId', d.session_id, 'mg', d.mg, 'at', ${isoSql('d.at')},
                'createdBy', d.created_by, 'createdAt', ${isoSql('d.created_at')}) ORDER BY d.at, d.id), '[]'::json)
              FROM doses d WHERE d.session_id = s.id) AS doses,
           (SELECT COALESCE(json_agg(json_build_object(
                'id', ae.id, 'sessionId', ae.session_id, 'occurredAt', ${isoSql('ae.occurred_at')},
                'description', ae.description, 'severity', ae.severity,
                'resolvedAt', CASE WHEN ae.resolved_at IS NULL THEN NULL ELSE ${isoSql('ae.resolved_at')} END,
                'interventions', (SELECT COALESCE(json_agg(json_build_object(
                    'id', i.id, 'adverseEventId', i.adverse_event_id, 'at', ${isoSql('i.at')}, 'action', i.action,
                    'createdBy', i.created_by, 'createdAt', ${isoSql('i.created_at')}) ORDER BY i.at, i.id), '[]'::json)
                  FROM interventions i WHERE i.adverse_event_id = ae.id),
                'createdBy', ae.created_by, 'createdAt', ${isoSql('ae.created_at')}) ORDER BY ae.occurred_at, ae.id), '[]'::json)
              FROM adverse_events ae WHERE ae.session_id = s.id) AS adverse_events,
           (SELECT COALESCE(json_agg(json_build_object(
                'id', l.id, 'sessionId', l.session_id, 'at', ${isoSql('l.at')}, 'kind', l.kind, 'intensity', l.intensity,
                'createdBy', l.created_by, 'createdAt', ${isoSql('l.created_at')}) ORDER BY l.at, l.id), '[]'::json)
              FROM subjective_logs l WHERE l.session_id = s.id) AS subjective_logs
         FROM treatment_sessions s JOIN patients p ON p.id = s.patient_id
         WHERE s.id = ${params.add(id)} AND p.archived_at IS NULL AND ${patientScopeSql(access, 'read', 'TreatmentSession', params)}`,
      params.values,
    );
    const row = rows[0];
    if (!row) throw Errors.notFound('Session not found');
    await this.patients.auditPlatformRead(access, 'TreatmentSession', row.id, row.tenant_id, {
      route: 'GET /sessions/:id',
    });
    return {
      ...toSessionDto(row),
      doses: row.doses.map((d) => ({ ...d, mg: Number(d.mg) })),
      adverseEvents: row.adverse_events,
      subjectiveLogs: row.subjective_logs,
    };
  }

  async update(access: AccessContext, id: string, dto: UpdateSessionDto): Promise<SessionDto> {
    const session = await this.find(access, id, 'update', { lock: true });
    if (dto.endedAt !== null && new Date(dto.endedAt).getTime() < session.started_at.getTime()) {
      throw Errors.validation([
        { field: 'endedAt', message: 'endedAt must not be before the session’s startedAt' },
      ]);
    }
    const rows: SessionRow[] = await this.db.manager.query(
      `WITH s AS (UPDATE treatment_sessions SET ended_at = $2 WHERE id = $1 RETURNING *)
       SELECT ${SESSION_COLUMNS} FROM s JOIN patients p ON p.id = s.patient_id`,
      [session.id, dto.endedAt],
    );
    return toSessionDto(rows[0]);
  }

  /**
   * Stores a reading with its QTc (Bazett and Fridericia) and alerts. The rise alert compares
   * with the session's first reading (by recorded_at) that has a QTc; the session row is locked
   * so that two first readings cannot both take themselves as the baseline.
   */
  async addVitals(
    access: AccessContext,
    sessionId: string,
    dto: CreateVitalsDto,
  ): Promise<VitalsDto> {
    const session = await this.find(access, sessionId, 'create', { lock: true });
    const bazett = qtcBazett(dto.qtMs, dto.heartRate);
    const fridericia = qtcFridericia(dto.qtMs, dto.heartRate);
    let first: number | null = bazett;
    if (bazett !== null) {
      const earlier: { qtc_bazett_ms: string }[] = await this.db.manager.query(
        `SELECT qtc_bazett_ms FROM vitals
         WHERE session_id = $1 AND qtc_bazett_ms IS NOT NULL AND recorded_at <= $2
         ORDER BY recorded_at, id LIMIT 1`,
        [session.id, dto.recordedAt],
      );
      if (earlier[0]) first = Number(earlier[0].qtc_bazett_ms);
    }
    const alerts = computeVitalAlerts({ qtcBazettMs: bazett, firstQtcBazettMs: first });
    const rows: VitalsRow[] = await this.db.manager.query(
      `INSERT INTO vitals AS v (tenant_id, session_id, patient_id, recorded_at, heart_rate, systolic, diastolic, spo2,
         temperature_c, qt_ms, qtc_bazett_ms, qtc_fridericia_ms, alerts, note, created_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)
       RETURNING ${VITALS_COLUMNS}`,
      [
        session.p_tenant_id,
        session.id,
        session.patient_id,
        dto.recordedAt,
        dto.heartRate ?? null,
        dto.systolic ?? null,
        dto.diastolic ?? null,
        dto.spo2 ?? null,
        dto.temperatureC ?? null,
        dto.qtMs ?? null,
        bazett,
        fridericia,
        JSON.stringify(alerts),
        dto.note ?? null,
        access.principal.id,
      ],
    );
    return toVitalsDto(rows[0]);
  }

  async listVitals(
    access: AccessContext,
    sessionId: string,
    query: VitalsPageQueryDto,
  ): Promise<Page<VitalsDto>> {
    const session = await this.find(access, sessionId, 'read');
    const params = new SqlParams();
    const limit = pageLimit(query.limit);
    const rows: (VitalsRow & { cursor_created_at: string })[] = await this.db.manager.query(
      `SELECT ${VITALS_COLUMNS}, v.recorded_at::text AS cursor_created_at
       FROM vitals v
       WHERE v.session_id = ${params.add(session.id)} AND ${keysetSql(query.cursor, 'v.recorded_at', 'v.id', params, 'asc')}
       ORDER BY v.recorded_at, v.id
       LIMIT ${params.add(limit + 1)}`,
      params.values,
    );
    await this.patients.auditPlatformRead(
      access,
      'TreatmentSession',
      session.id,
      session.p_tenant_id,
      {
        route: 'GET /sessions/:id/vitals',
      },
    );
    return toPage(rows, limit, (r) => r.id, toVitalsDto);
  }

  async addDose(access: AccessContext, sessionId: string, dto: CreateDoseDto): Promise<DoseDto> {
    const session = await this.find(access, sessionId, 'create');
    const rows: DoseRow[] = await this.db.manager.query(
      `INSERT INTO doses (tenant_id, session_id, patient_id, mg, at, created_by) VALUES ($1, $2, $3, $4, $5, $6)
       RETURNING id, session_id, mg, at, created_by, created_at`,
      [session.p_tenant_id, session.id, session.patient_id, dto.mg, dto.at, access.principal.id],
    );
    return toDoseDto(rows[0]);
  }

  async addSubjectiveLog(
    access: AccessContext,
    sessionId: string,
    dto: CreateSubjectiveLogDto,
  ): Promise<SubjectiveLogDto> {
    const session = await this.find(access, sessionId, 'create');
    const rows: {
      id: string;
      session_id: string;
      at: Date;
      kind: string;
      intensity: number;
      created_by: string;
      created_at: Date;
    }[] = await this.db.manager.query(
      `INSERT INTO subjective_logs (tenant_id, session_id, patient_id, at, kind, intensity, created_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         RETURNING id, session_id, at, kind, intensity, created_by, created_at`,
      [
        session.p_tenant_id,
        session.id,
        session.patient_id,
        dto.at,
        dto.kind,
        dto.intensity,
        access.principal.id,
      ],
    );
    const row = rows[0];
    return {
      id: row.id,
      sessionId: row.session_id,
      at: iso(row.at)!,
      kind: row.kind,
      intensity: row.intensity,
      createdBy: row.created_by,
      createdAt: iso(row.created_at)!,
    };
  }

  async addAdverseEvent(
    access: AccessContext,
    sessionId: string,
    dto: CreateAdverseEventDto,
  ): Promise<AdverseEventDto> {
    const session = await this.find(access, sessionId, 'create');
    const rows: {
      id: string;
      session_id: string;
      occurred_at: Date;
      description: string;
      severity: AdverseEventDto['severity'];
      resolved_at: Date | null;
      created_by: string;
      created_at: Date;
    }[] = await this.db.manager.query(
      `INSERT INTO adverse_events (tenant_id, session_id, patient_id, occurred_at, description, severity, created_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         RETURNING id, session_id, occurred_at, description, severity, resolved_at, created_by, created_at`,
      [
        session.p_tenant_id,
        session.id,
        session.patient_id,
        dto.occurredAt,
        dto.description,
        dto.severity,
        access.principal.id,
      ],
    );
    const event = rows[0];
    const interventions = dto.interventions?.length
      ? await this.insertInterventions(access, session, event.id, dto.interventions)
      : [];
    return {
      id: event.id,
      sessionId: event.session_id,
      occurredAt: iso(event.occurred_at)!,
      description: event.description,
      severity: event.severity,
      resolvedAt: iso(event.resolved_at),
      interventions,
      createdBy: event.created_by,
      createdAt: iso(event.created_at)!,
    };
  }

  async addIntervention(
    access: AccessContext,
    sessionId: string,
    eventId: string,
    dto: CreateInterventionDto,
  ): Promise<InterventionDto> {
    const session = await this.find(access, sessionId, 'create');
    const events: unknown[] = await this.db.manager.query(
      `SELECT 1 FROM adverse_events WHERE id = $1 AND session_id = $2`,
      [eventId, session.id],
    );
    if (!events.length) throw Errors.notFound('Adverse event not found');
    const [intervention] = await this.insertInterventions(access, session, eventId, [dto]);
    return intervention;
  }

  private async insertInterventions(
    access: AccessContext,
    session: SessionRow,
    eventId: string,
    items: readonly CreateInterventionDto[],
  ): Promise<InterventionDto[]> {
    const rows: InterventionRow[] = await this.db.manager.query(
      `INSERT INTO interventions (tenant_id, adverse_event_id, session_id, patient_id, at, action, created_by)
       SELECT $1, $2, $3, $4, x.at, x.action, $5
       FROM unnest($6::timestamptz[], $7::text[]) WITH ORDINALITY AS x(at, action, ord)
       ORDER BY x.ord
       RETURNING id, adverse_event_id, at, action, created_by, created_at`,
      [
        session.p_tenant_id,
        eventId,
        session.id,
        session.patient_id,
        access.principal.id,
        items.map((i) => i.at),
        items.map((i) => i.action),
      ],
    );
    return rows.map(toInterventionDto).sort((a, b) => a.at.localeCompare(b.at));
  }

  /** A session in the caller's scope (through its patient, D12), checked for `action`; 404 otherwise. */
  private async find(
    access: AccessContext,
    id: string,
    action: Action,
    options: { lock?: boolean } = {},
  ): Promise<SessionRow> {
    const params = new SqlParams();
    const rows: SessionRow[] = await this.db.manager.query(
      `SELECT ${SESSION_COLUMNS}
       FROM treatment_sessions s JOIN patients p ON p.id = s.patient_id
       WHERE s.id = ${params.add(id)} AND p.archived_at IS NULL AND ${patientScopeSql(access, 'read', 'TreatmentSession', params)}
       ${options.lock ? 'FOR UPDATE OF s' : ''}`,
      params.values,
    );
    const row = rows[0];
    if (!row) throw Errors.notFound('Session not found');
    const record = {
      id: row.id,
      tenantId: row.tenant_id,
      patientId: row.patient_id,
      patient: {
        id: row.patient_id,
        ownerId: row.p_owner_id,
        tenantId: row.p_tenant_id,
        clinicId: row.p_clinic_id,
        isTest: row.p_is_test,
      },
    };
    if (action !== 'read' && !access.ability.can(action, subject('TreatmentSession', record))) {
      throw Errors.forbidden(
        'action_denied',
        actionDenial(access.principal, 'session_vitals', action, 'session'),
      );
    }
    return row;
  }
}
