import { Injectable } from '@nestjs/common';
import { subject } from '@casl/ability';
import { effectiveLevel, isPlatformAdmin } from '../../abilities/ability.factory';
import type { AccessContext } from '../../abilities/access-context';
import type { Action } from '../../abilities/actions';
import { actionDenial } from '../../abilities/denials';
import { isTenantAdminRole } from '../../abilities/tenancy-roles';
import { isPartnerTier } from '../../abilities/tiers';
import { Errors } from '../../common/errors/api-exception';
import { type Page, pageLimit, toPage } from '../../common/pagination/pagination';
import { AppConfig } from '../../config/app-config';
import { Db } from '../../database/request-context';
import type { AuditSubjectType } from '../audit/audit-actions';
import { AuditService } from '../audit/audit.service';
import {
  iso,
  type PatientChildSubject,
  patientScopeBranches,
  patientScopeSql,
  SqlParams,
  testRowsSql,
  keysetSql,
} from './clinical-sql';
import {
  type CreatePatientDto,
  type ListPatientsQueryDto,
  PATIENT_PHASES,
  type PatientDto,
  type PatientPhase,
  type UpdatePatientDto,
} from './patients.dto';
import { generateSubjectId } from './subject-id';

export interface PatientRow {
  readonly id: string;
  readonly tenant_id: string | null;
  readonly clinic_id: string | null;
  readonly owner_id: string;
  readonly subject_id: string;
  readonly is_test: boolean;
  readonly initials: string | null;
  readonly substance: string | null;
  readonly medications: string[];
  readonly phase: PatientPhase;
  readonly archived_at: Date | null;
  readonly created_at: Date;
  readonly updated_at: Date;
}

/** Tables whose rows sit under a patient and copy its tenant_id. */
const PATIENT_CHILD_TABLES = [
  'patient_phase_transitions',
  'treatment_sessions',
  'vitals',
  'doses',
  'subjective_logs',
  'adverse_events',
  'interventions',
  'assessments',
] as const;

export const PATIENT_COLUMNS = `p.id, p.tenant_id, p.clinic_id, p.owner_id, p.subject_id, p.is_test, p.initials, p.substance,
  p.medications, p.phase, p.archived_at, p.created_at, p.updated_at`;

export function toPatientDto(row: PatientRow): PatientDto {
  return {
    id: row.id,
    subjectId: row.subject_id,
    isTest: row.is_test,
    phase: row.phase,
    clinicId: row.clinic_id,
    tenantId: row.tenant_id,
    ownerId: row.owner_id,
    initials: row.initials,
    substance: row.substance,
    medications: row.medications,
    archivedAt: iso(row.archived_at),
    createdAt: iso(row.created_at)!,
    updatedAt: iso(row.updated_at)!,
  };
}

/** The scope fields CASL rules name, for record-level checks (`ability.can(…, subject(…))`). */
export function patientFields(row: PatientRow): {
  ownerId: string;
  tenantId: string | null;
  clinicId: string | null;
  isTest: boolean;
} {
  return {
    ownerId: row.owner_id,
    tenantId: row.tenant_id,
    clinicId: row.clinic_id,
    isTest: row.is_test,
  };
}

export type PatientPageRow = PatientRow & { cursor_created_at: string };

/**
 * GET /patients as one statement (the benchmarks' raw baseline runs exactly this): the
 * caller's scope from the ability, the test-row rule, live rows, the keyset, filters.
 *
 * A scope of several rules (a tenant ADMIN's tenant plus its own solo patients, a member's
 * clinics plus its own) is a UNION of one page per rule, each in index order of the index its
 * rule leads with, then one page of their union: PostgreSQL reads about one page per rule
 * instead of every row the OR matches, so the page costs the same at 10k and 1M patients.
 */
export function patientListQuery(
  access: AccessContext,
  query: ListPatientsQueryDto,
  limit: number,
): { sql: string; values: unknown[] } {
  const params = new SqlParams();
  const branches = patientScopeBranches(access, 'read', params);
  const common = [
    testRowsSql(access, query.includeTest),
    'p.archived_at IS NULL',
    keysetSql(query.cursor, 'p.created_at', 'p.id', params),
  ];
  if (query.phase) common.push(`p.phase = ${params.add(query.phase)}`);
  if (query.clinicId) common.push(`p.clinic_id = ${params.add(query.clinicId)}`);
  const pageSize = params.add(limit + 1);
  const page = (scope: string): string =>
    `SELECT ${PATIENT_COLUMNS}, p.created_at::text AS cursor_created_at
       FROM patients p
       WHERE ${[scope, ...common].join(' AND ')}
       ORDER BY p.created_at DESC, p.id DESC
       LIMIT ${pageSize}`;
  if (branches.length <= 1) return { sql: page(branches[0] ?? 'FALSE'), values: params.values };
  return {
    sql: `SELECT * FROM (${branches.map((branch) => `(${page(branch)})`).join(' UNION ')}) p
       ORDER BY p.created_at DESC, p.id DESC
       LIMIT ${pageSize}`,
    values: params.values,
  };
}

/** One live patient in the caller's scope for `action` on `subjectType` (GET /patients/:id). */
export function patientInScopeQuery(
  access: AccessContext,
  action: Action,
  subjectType: 'Patient' | PatientChildSubject,
  id: string,
  lock: boolean,
): { sql: string; values: unknown[] } {
  const params = new SqlParams();
  return {
    sql: `SELECT ${PATIENT_COLUMNS} FROM patients p
       WHERE p.id = ${params.add(id)} AND p.archived_at IS NULL AND ${patientScopeSql(access, action, subjectType, params)}
       ${lock ? 'FOR UPDATE' : ''}`,
    values: params.values,
  };
}

/** Subject-id collisions are astronomically rare (36^10); a few retries are plenty. */
const SUBJECT_ID_ATTEMPTS = 5;

@Injectable()
export class PatientsService {
  constructor(
    private readonly db: Db,
    private readonly config: AppConfig,
    private readonly audit: AuditService,
  ) {}

  async create(access: AccessContext, dto: CreatePatientDto): Promise<PatientDto> {
    const { principal } = access;
    const partner = isPartnerTier(principal.tier);
    // Partners only ever create test data, which never belongs to a clinic (PRODUCT.md §2.3):
    // their clinicId is ignored rather than honoured.
    const placement = partner
      ? { tenantId: principal.tenant?.id ?? null, clinicId: null }
      : await this.placement(access, dto.clinicId ?? null);
    const record = {
      ownerId: principal.id,
      tenantId: placement.tenantId,
      clinicId: placement.clinicId,
      isTest: partner,
    };
    if (!access.ability.can('create', subject('Patient', record))) {
      throw Errors.forbidden(
        'action_denied',
        actionDenial(principal, 'wellness_journey', 'create', 'patient'),
      );
    }
    if (effectiveLevel(access.input, 'wellness_journey') === 'basic')
      await this.checkBasicLimit(access);

    for (let attempt = 0; attempt < SUBJECT_ID_ATTEMPTS; attempt++) {
      const rows: PatientRow[] = await this.db.manager.query(
        `INSERT INTO patients (tenant_id, clinic_id, owner_id, subject_id, is_test, initials, substance, medications)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
         ON CONFLICT (subject_id) DO NOTHING
         RETURNING ${PATIENT_COLUMNS.replace(/p\./g, '')}`,
        [
          record.tenantId,
          record.clinicId,
          record.ownerId,
          generateSubjectId(partner),
          partner,
          dto.initials ?? null,
          dto.substance ?? null,
          dto.medications ?? [],
        ],
      );
      if (rows[0]) return toPatientDto(rows[0]);
    }
    throw Errors.conflict('Could not allocate a unique subject id; retry');
  }

  async list(access: AccessContext, query: ListPatientsQueryDto): Promise<Page<PatientDto>> {
    if (query.clinicId) await this.assertClinicVisible(access, query.clinicId);
    const limit = pageLimit(query.limit);
    const statement = patientListQuery(access, query, limit);
    const rows = await this.db.read<PatientPageRow>(statement.sql, statement.values);
    const page = toPage(rows, limit, (r) => r.id, toPatientDto);
    await this.auditPlatformRead(access, 'Patient', null, null, {
      route: 'GET /patients',
      patientIds: page.items.map((p) => p.id),
      includeTest: query.includeTest === true,
    });
    return page;
  }

  async get(access: AccessContext, id: string): Promise<PatientDto> {
    const row = await this.findInScope(access, 'read', 'Patient', id);
    await this.auditPlatformRead(access, 'Patient', row.id, row.tenant_id, {
      route: 'GET /patients/:id',
    });
    return toPatientDto(row);
  }

  async update(access: AccessContext, id: string, dto: UpdatePatientDto): Promise<PatientDto> {
    const row = await this.findInScope(access, 'read', 'Patient', id, { lock: true });
    this.assertCan(access, 'update', row);
    let placement = { tenantId: row.tenant_id, clinicId: row.clinic_id };
    if (dto.clinicId !== undefined && dto.clinicId !== row.clinic_id) {
      if (row.is_test && dto.clinicId !== null)
        throw Errors.conflict('A test patient cannot belong to a clinic');
      placement =
        dto.clinicId === null
          ? { tenantId: row.tenant_id, clinicId: null }
          : await this.placement(access, dto.clinicId);
    }
    // The patient must stay within the caller's own scope (e.g. a clinic member cannot take a
    // colleague's patient out of their shared clinic): RLS would refuse the row anyway.
    const moved = {
      id: row.id,
      ...patientFields(row),
      tenantId: placement.tenantId,
      clinicId: placement.clinicId,
    };
    if (!access.ability.can('update', subject('Patient', moved))) {
      throw Errors.forbidden('action_denied', {
        ...actionDenial(access.principal, 'wellness_journey', 'update', 'patient'),
        reason:
          'This move would take the patient out of your data scope; its owner or a tenant OWNER/ADMIN can make it.',
      });
    }
    if (placement.tenantId !== row.tenant_id)
      await this.moveChildrenToTenant(row.id, placement.tenantId);
    const rows: PatientRow[] = await this.db.manager.query(
      // Wrapped in a CTE: TypeORM answers a bare UPDATE with [rows, count] instead of rows.
      `WITH updated AS (
         UPDATE patients SET
           initials = CASE WHEN $2 THEN $3 ELSE initials END,
           substance = CASE WHEN $4 THEN $5 ELSE substance END,
           medications = COALESCE($6, medications),
           tenant_id = $7, clinic_id = $8, updated_at = now()
         WHERE id = $1
         RETURNING ${PATIENT_COLUMNS.replace(/p\./g, '')}
       )
       SELECT * FROM updated`,
      [
        row.id,
        dto.initials !== undefined,
        dto.initials ?? null,
        dto.substance !== undefined,
        dto.substance ?? null,
        dto.medications ?? null,
        placement.tenantId,
        placement.clinicId,
      ],
    );
    return toPatientDto(rows[0]);
  }

  /** Live records are archived (clinical records are kept); test records are deleted outright. */
  async remove(access: AccessContext, id: string): Promise<void> {
    const row = await this.findInScope(access, 'read', 'Patient', id, { lock: true });
    this.assertCan(access, 'delete', row);
    if (row.is_test) {
      await this.db.manager.query(`DELETE FROM patients WHERE id = $1`, [row.id]);
    } else {
      await this.db.manager.query(
        `UPDATE patients SET archived_at = now(), updated_at = now() WHERE id = $1`,
        [row.id],
      );
    }
  }

  async changePhase(access: AccessContext, id: string, phase: PatientPhase): Promise<PatientDto> {
    const row = await this.findInScope(access, 'read', 'Patient', id, { lock: true });
    this.assertCan(access, 'update', row);
    const next = PATIENT_PHASES[PATIENT_PHASES.indexOf(row.phase) + 1];
    if (phase !== next) {
      throw Errors.conflict(
        next
          ? `Illegal phase move ${row.phase} → ${phase}: the next phase is ${next}`
          : `Illegal phase move ${row.phase} → ${phase}: the journey is completed`,
        { from: row.phase, to: phase, allowed: next ? [next] : [] },
      );
    }
    const rows: PatientRow[] = await this.db.manager.query(
      `WITH moved AS (
         UPDATE patients SET phase = $2, updated_at = now() WHERE id = $1 AND phase = $3
         RETURNING ${PATIENT_COLUMNS.replace(/p\./g, '')}
       ), logged AS (
         INSERT INTO patient_phase_transitions (tenant_id, patient_id, from_phase, to_phase, actor_id)
         SELECT tenant_id, id, $3, $2, $4 FROM moved
       )
       SELECT * FROM moved`,
      [row.id, phase, row.phase, access.principal.id],
    );
    if (!rows[0]) throw Errors.conflict('The patient changed phase concurrently; reload and retry');
    return toPatientDto(rows[0]);
  }

  /**
   * A live (non-archived) patient in the caller's scope for `action` on `subject` — the
   * patient itself, or a record kind under it (D12) — through the scoped SQL; 404 otherwise.
   */
  async findInScope(
    access: AccessContext,
    action: Action,
    subjectType: 'Patient' | PatientChildSubject,
    id: string,
    options: { lock?: boolean } = {},
  ): Promise<PatientRow> {
    const statement = patientInScopeQuery(access, action, subjectType, id, options.lock === true);
    const rows = await this.db.read<PatientRow>(statement.sql, statement.values);
    if (!rows[0]) throw Errors.notFound('Patient not found');
    return rows[0];
  }

  /** PRODUCT.md §2.3: every PLATFORM_ADMIN read of patient data leaves an audit row. */
  async auditPlatformRead(
    access: AccessContext,
    subjectType: AuditSubjectType,
    subjectId: string | null,
    tenantId: string | null,
    details: Record<string, unknown>,
  ): Promise<void> {
    if (!isPlatformAdmin(access.principal)) return;
    await this.audit.record(
      { action: 'patient_data.read', subjectType, subjectId, tenantId, details },
      access,
    );
  }

  private assertCan(access: AccessContext, action: Action, row: PatientRow): void {
    if (!access.ability.can(action, subject('Patient', { id: row.id, ...patientFields(row) }))) {
      throw Errors.forbidden(
        'action_denied',
        actionDenial(access.principal, 'wellness_journey', action, 'patient'),
      );
    }
  }

  /**
   * Where a new (or moved) live patient goes: the caller's tenant, and a clinic they may use —
   * one of their clinics, any clinic of their tenant for tenant OWNER/ADMIN, any clinic for
   * PLATFORM_ADMIN (the patient then belongs to that clinic's tenant). Anything else is 404.
   */
  private async placement(
    access: AccessContext,
    clinicId: string | null,
  ): Promise<{ tenantId: string | null; clinicId: string | null }> {
    const { principal } = access;
    const tenantId = principal.tenant?.id ?? null;
    if (clinicId === null) return { tenantId, clinicId: null };
    if (isPlatformAdmin(principal)) {
      const rows: { tenant_id: string }[] = await this.db.manager.query(
        `SELECT tenant_id FROM clinics WHERE id = $1`,
        [clinicId],
      );
      if (!rows[0]) throw Errors.notFound('Clinic not found');
      return { tenantId: rows[0].tenant_id, clinicId };
    }
    if (!principal.tenant) throw Errors.notFound('Clinic not found');
    if (principal.clinics.some((c) => c.id === clinicId)) return { tenantId, clinicId };
    if (isTenantAdminRole(principal.tenant.role)) {
      const rows: unknown[] = await this.db.manager.query(
        `SELECT 1 FROM clinics WHERE id = $1 AND tenant_id = $2`,
        [clinicId, tenantId],
      );
      if (rows.length) return { tenantId, clinicId };
    }
    throw Errors.notFound('Clinic not found');
  }

  private async assertClinicVisible(access: AccessContext, clinicId: string): Promise<void> {
    const { principal } = access;
    if (isPlatformAdmin(principal)) {
      const rows: unknown[] = await this.db.manager.query(`SELECT 1 FROM clinics WHERE id = $1`, [
        clinicId,
      ]);
      if (rows.length) return;
    } else if (principal.tenant) {
      const rows: unknown[] = await this.db.manager.query(
        `SELECT 1 FROM clinics WHERE id = $1 AND tenant_id = $2`,
        [clinicId, principal.tenant.id],
      );
      if (rows.length) return;
    }
    throw Errors.notFound('Clinic not found');
  }

  /** Records under a patient repeat its tenant_id (distribution key): they move with it. */
  private async moveChildrenToTenant(patientId: string, tenantId: string | null): Promise<void> {
    for (const table of PATIENT_CHILD_TABLES) {
      await this.db.manager.query(`UPDATE ${table} SET tenant_id = $2 WHERE patient_id = $1`, [
        patientId,
        tenantId,
      ]);
    }
  }

  /** D4: a `basic` tier keeps at most FREE_TIER_ACTIVE_PATIENTS non-archived patients. */
  private async checkBasicLimit(access: AccessContext): Promise<void> {
    const { principal } = access;
    const max = this.config.env.FREE_TIER_ACTIVE_PATIENTS;
    // Serialises this owner's concurrent creations so two requests cannot both pass the count.
    await this.db.manager.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [
      `patients:active:${principal.id}`,
    ]);
    const rows: { n: number }[] = await this.db.manager.query(
      `SELECT count(*)::int AS n FROM patients WHERE owner_id = $1 AND archived_at IS NULL AND NOT is_test`,
      [principal.id],
    );
    if ((rows[0]?.n ?? 0) >= max) {
      throw Errors.forbidden('tier_limit_reached', {
        feature: 'wellness_journey',
        action: 'create',
        tier: principal.tier,
        reason: `Tier ${principal.tier} keeps at most ${max} active (non-archived) patients; archive one or upgrade to a tier with full Wellness Journey.`,
      });
    }
  }
}
