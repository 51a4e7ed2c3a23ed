import { Injectable } from '@nestjs/common';
import type { AccessContext } from '../../abilities/access-context';
import { Errors } from '../../common/errors/api-exception';
import { type Page, pageLimit, toPage } from '../../common/pagination/pagination';
import { Db } from '../../database/request-context';
import { iso, keysetSql, patientScopeSql, SqlParams, testRowsSql } from '../patients/clinical-sql';
import { PatientsService } from '../patients/patients.service';
import type {
  AssessmentDto,
  CreateAssessmentDto,
  ListAssessmentsQueryDto,
} from './assessments.dto';
import { type Instrument, type Meq30Subscales, scoreAssessment, validateAnswers } from './scoring';

interface AssessmentRow {
  readonly id: string;
  readonly patient_id: string;
  readonly instrument: Instrument;
  readonly answers: number[];
  readonly score: string;
  readonly severity: string;
  readonly subscales: Meq30Subscales | null;
  readonly complete: boolean | null;
  readonly administered_at: Date;
  readonly created_by: string;
  readonly created_at: Date;
}

const COLUMNS = `a.id, a.patient_id, a.instrument, a.answers, a.score, a.severity, a.subscales, a.complete, a.administered_at,
  a.created_by, a.created_at`;

/** PHQ-9 item 9 (thoughts of self-harm) is item index 8. */
const PHQ9_SELF_HARM_INDEX = 8;

function toAssessmentDto(row: AssessmentRow): AssessmentDto {
  return {
    id: row.id,
    patientId: row.patient_id,
    instrument: row.instrument,
    answers: row.answers,
    score: Number(row.score),
    severity: row.severity,
    ...(row.instrument === 'MEQ30'
      ? { subscales: row.subscales ?? undefined, complete: row.complete ?? undefined }
      : {}),
    ...(row.instrument === 'PHQ9'
      ? { selfHarmItemPositive: (row.answers[PHQ9_SELF_HARM_INDEX] ?? 0) > 0 }
      : {}),
    administeredAt: iso(row.administered_at)!,
    createdBy: row.created_by,
    createdAt: iso(row.created_at)!,
  };
}

@Injectable()
export class AssessmentsService {
  constructor(
    private readonly db: Db,
    private readonly patients: PatientsService,
  ) {}

  /** Answers are validated per item (400 naming it) before the patient is looked up (404). */
  async create(access: AccessContext, dto: CreateAssessmentDto): Promise<AssessmentDto> {
    const problems = validateAnswers(dto.instrument, dto.answers);
    if (problems.length > 0) throw Errors.validation(problems, `Invalid ${dto.instrument} answers`);
    const answers = dto.answers as number[];
    const patient = await this.patients.findInScope(access, 'create', 'Assessment', dto.patientId);
    const result = scoreAssessment(dto.instrument, answers);
    const rows: AssessmentRow[] = await this.db.manager.query(
      `INSERT INTO assessments AS a (tenant_id, patient_id, instrument, answers, score, severity, subscales, complete, administered_at, created_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, COALESCE($9::timestamptz, now()), $10)
       RETURNING ${COLUMNS}`,
      [
        patient.tenant_id,
        patient.id,
        dto.instrument,
        answers,
        result.score,
        result.severity,
        result.instrument === 'MEQ30' ? JSON.stringify(result.subscales) : null,
        result.instrument === 'MEQ30' ? result.complete : null,
        dto.administeredAt ?? null,
        access.principal.id,
      ],
    );
    return toAssessmentDto(rows[0]);
  }

  async list(access: AccessContext, query: ListAssessmentsQueryDto): Promise<Page<AssessmentDto>> {
    const params = new SqlParams();
    const where = [
      patientScopeSql(access, 'read', 'Assessment', params),
      testRowsSql(access, query.includeTest),
      'p.archived_at IS NULL',
      keysetSql(query.cursor, 'a.created_at', 'a.id', params),
    ];
    if (query.patientId) {
      await this.patients.findInScope(access, 'read', 'Assessment', query.patientId);
      where.push(`a.patient_id = ${params.add(query.patientId)}`);
    }
    if (query.instrument) where.push(`a.instrument = ${params.add(query.instrument)}`);
    const limit = pageLimit(query.limit);
    const rows: (AssessmentRow & { cursor_created_at: string })[] = await this.db.manager.query(
      `SELECT ${COLUMNS}, a.created_at::text AS cursor_created_at
       FROM assessments a JOIN patients p ON p.id = a.patient_id
       WHERE ${where.join(' AND ')}
       ORDER BY a.created_at DESC, a.id DESC
       LIMIT ${params.add(limit + 1)}`,
      params.values,
    );
    const page = toPage(rows, limit, (r) => r.id, toAssessmentDto);
    await this.patients.auditPlatformRead(access, 'Assessment', null, null, {
      route: 'GET /assessments',
      assessmentIds: page.items.map((a) => a.id),
      includeTest: query.includeTest === true,
    });
    return page;
  }
}
