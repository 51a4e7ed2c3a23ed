import { Injectable } from '@nestjs/common';
import { subject } from '@casl/ability';
import type { AccessContext } from '../../abilities/access-context';
import type { Action } from '../../abilities/actions';
import { actionDenial } from '../../abilities/denials';
import { accessibleCondition } from '../../abilities/sql/rules-to-sql';
import { SUBJECT_SQL } from '../../abilities/sql/subject-maps';
import { isPartnerTier } from '../../abilities/tiers';
import { Errors } from '../../common/errors/api-exception';
import { type Page, pageLimit, toPage } from '../../common/pagination/pagination';
import { Db } from '../../database/request-context';
import { iso, keysetSql, num, SqlParams, testRowsSql } from '../patients/clinical-sql';
import { PatientsService } from '../patients/patients.service';
import { calculateDoses, validateDoseInput } from './dose-calculator';
import {
  INTERACTION_DISCLAIMER,
  INTERACTION_SEVERITIES,
  type InteractionSeverity,
} from './interactions';
import type {
  BoosterDto,
  CreateProtocolDto,
  DoseCalculationDto,
  DoseCalculationResultDto,
  InteractionCheckDto,
  InteractionCheckResultDto,
  InteractionDto,
  ListProtocolsQueryDto,
  ProtocolDto,
  UpdateProtocolDto,
} from './protocols.dto';

interface ProtocolRow {
  readonly id: string;
  readonly tenant_id: string | null;
  readonly owner_id: string;
  readonly is_test: boolean;
  readonly name: string;
  readonly substance: string;
  readonly planned_mg_per_kg: string | null;
  readonly ceiling_mg_per_kg: string | null;
  readonly boosters: BoosterDto[];
  readonly notes: string | null;
  readonly created_at: Date;
  readonly updated_at: Date;
}

const COLUMNS = `pr.id, pr.tenant_id, pr.owner_id, pr.is_test, pr.name, pr.substance, pr.planned_mg_per_kg, pr.ceiling_mg_per_kg,
  pr.boosters, pr.notes, pr.created_at, pr.updated_at`;

function toProtocolDto(row: ProtocolRow): ProtocolDto {
  return {
    id: row.id,
    name: row.name,
    substance: row.substance,
    plannedMgPerKg: num(row.planned_mg_per_kg),
    ceilingMgPerKg: num(row.ceiling_mg_per_kg),
    boosters: row.boosters,
    notes: row.notes,
    isTest: row.is_test,
    ownerId: row.owner_id,
    tenantId: row.tenant_id,
    createdAt: iso(row.created_at)!,
    updatedAt: iso(row.updated_at)!,
  };
}

function boostersJson(boosters: readonly BoosterDto[]): string {
  // Only the two known fields, in a fixed order, sorted by time.
  return JSON.stringify(
    [...boosters]
      .sort((a, b) => a.afterHours - b.afterHours)
      .map((b) => ({ afterHours: b.afterHours, mgPerKg: b.mgPerKg })),
  );
}

/** Lower case, trimmed, inner whitespace collapsed, trademark signs dropped (as interactions.ts cleans names). */
const CLEAN_NAME_SQL = (expr: string): string =>
  `lower(regexp_replace(btrim(regexp_replace(${expr}, '[®™]', '', 'g')), '\\s+', ' ', 'g'))`;

interface InteractionQueryRow {
  readonly kind: 'interaction' | 'input';
  readonly substance: string | null;
  readonly agent: string | null;
  readonly severity: InteractionSeverity | null;
  readonly note: string | null;
  readonly source: string | null;
  readonly typed: string | null;
  readonly cleaned: string | null;
  readonly canonical: string | null;
  readonly known: boolean | null;
}

@Injectable()
export class ProtocolsService {
  constructor(
    private readonly db: Db,
    private readonly patients: PatientsService,
  ) {}

  async create(access: AccessContext, dto: CreateProtocolDto): Promise<ProtocolDto> {
    const { principal } = access;
    // Partners work on test data only: their protocols are test rows too (PRODUCT.md §2.3).
    const record = {
      ownerId: principal.id,
      tenantId: principal.tenant?.id ?? null,
      isTest: isPartnerTier(principal.tier),
    };
    if (!access.ability.can('create', subject('Protocol', record))) {
      throw Errors.forbidden(
        'action_denied',
        actionDenial(principal, 'protocol_builder', 'create', 'protocol'),
      );
    }
    const rows: ProtocolRow[] = await this.db.manager.query(
      `INSERT INTO protocols AS pr (tenant_id, owner_id, is_test, name, substance, planned_mg_per_kg, ceiling_mg_per_kg, boosters, notes)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
       RETURNING ${COLUMNS}`,
      [
        record.tenantId,
        record.ownerId,
        record.isTest,
        dto.name,
        dto.substance,
        dto.plannedMgPerKg ?? null,
        dto.ceilingMgPerKg ?? null,
        boostersJson(dto.boosters ?? []),
        dto.notes ?? null,
      ],
    );
    return toProtocolDto(rows[0]);
  }

  async list(access: AccessContext, query: ListProtocolsQueryDto): Promise<Page<ProtocolDto>> {
    const params = new SqlParams();
    const where = [
      params.condition(
        accessibleCondition(access.ability, 'read', 'Protocol', SUBJECT_SQL.Protocol, 'pr'),
      ),
      testRowsSql(access, query.includeTest, 'pr'),
      keysetSql(query.cursor, 'pr.created_at', 'pr.id', params),
    ];
    if (query.substance)
      where.push(`lower(pr.substance) = lower(${params.add(query.substance.trim())})`);
    const limit = pageLimit(query.limit);
    const rows: (ProtocolRow & { cursor_created_at: string })[] = await this.db.manager.query(
      `SELECT ${COLUMNS}, pr.created_at::text AS cursor_created_at
       FROM protocols pr
       WHERE ${where.join(' AND ')}
       ORDER BY pr.created_at DESC, pr.id DESC
       LIMIT ${params.add(limit + 1)}`,
      params.values,
    );
    return toPage(rows, limit, (r) => r.id, toProtocolDto);
  }

  async get(access: AccessContext, id: string): Promise<ProtocolDto> {
    return toProtocolDto(await this.find(access, id, 'read'));
  }

  async update(access: AccessContext, id: string, dto: UpdateProtocolDto): Promise<ProtocolDto> {
    const row = await this.find(access, id, 'update');
    const rows: ProtocolRow[] = await this.db.manager.query(
      // A CTE: TypeORM answers a bare UPDATE with [rows, count].
      `WITH pr AS (
         UPDATE protocols SET
           name = COALESCE($2, name),
           substance = COALESCE($3, substance),
           planned_mg_per_kg = CASE WHEN $4 THEN $5::numeric ELSE planned_mg_per_kg END,
           ceiling_mg_per_kg = CASE WHEN $6 THEN $7::numeric ELSE ceiling_mg_per_kg END,
           boosters = COALESCE($8::jsonb, boosters),
           notes = CASE WHEN $9 THEN $10 ELSE notes END,
           updated_at = now()
         WHERE id = $1
         RETURNING *
       )
       SELECT ${COLUMNS} FROM pr`,
      [
        row.id,
        dto.name ?? null,
        dto.substance ?? null,
        dto.plannedMgPerKg !== undefined,
        dto.plannedMgPerKg ?? null,
        dto.ceilingMgPerKg !== undefined,
        dto.ceilingMgPerKg ?? null,
        dto.boosters ? boostersJson(dto.boosters) : null,
        dto.notes !== undefined,
        dto.notes ?? null,
      ],
    );
    return toProtocolDto(rows[0]);
  }

  async remove(access: AccessContext, id: string): Promise<void> {
    const row = await this.find(access, id, 'delete');
    await this.db.manager.query(`DELETE FROM protocols WHERE id = $1`, [row.id]);
  }

  /**
   * Running cumulative dose over timestamped doses. With `protocolId`, the protocol must be
   * readable (404) and its ceiling applies; given both, the lower ceiling wins (the safer one).
   * Stores nothing: allowed for read tiers.
   */
  async doseCalculation(
    access: AccessContext,
    dto: DoseCalculationDto,
  ): Promise<DoseCalculationResultDto> {
    const problems = validateDoseInput(dto);
    if (problems.length > 0) throw Errors.validation(problems);
    let ceiling = dto.ceilingMgPerKg ?? null;
    if (dto.protocolId) {
      const protocol = await this.find(access, dto.protocolId, 'read');
      const protocolCeiling = num(protocol.ceiling_mg_per_kg);
      if (protocolCeiling !== null)
        ceiling = ceiling === null ? protocolCeiling : Math.min(ceiling, protocolCeiling);
    }
    const result = calculateDoses({
      weightKg: dto.weightKg,
      doses: dto.doses,
      ceilingMgPerKg: ceiling,
    });
    return {
      ...result,
      running: [...result.running],
      warnings: [...result.warnings],
      ceilingMgPerKg: ceiling,
    };
  }

  /**
   * Interactions from the seeded tables (ILLUSTRATIVE REFERENCE DATA, not clinical advice), in
   * one query: names are cleaned and mapped through `drug_synonyms`, then every substance is
   * checked against the other substances and every medication, in both directions (the
   * semantics of interactions.ts's checkInteractions). With `patientId` (in scope, else 404)
   * the patient's medications join in.
   */
  async interactionCheck(
    access: AccessContext,
    dto: InteractionCheckDto,
  ): Promise<InteractionCheckResultDto> {
    const medications = [...(dto.medications ?? [])];
    if (dto.patientId) {
      const patient = await this.patients.findInScope(access, 'read', 'Patient', dto.patientId);
      await this.patients.auditPlatformRead(access, 'Patient', patient.id, patient.tenant_id, {
        route: 'POST /protocols/interaction-check',
        fields: ['medications'],
      });
      medications.push(...patient.medications);
    }
    const rows: InteractionQueryRow[] = await this.db.manager.query(
      `WITH raw AS (
         SELECT 's' AS side, t AS typed, o AS ord FROM unnest($1::text[]) WITH ORDINALITY AS u(t, o)
         UNION ALL
         SELECT 'm', t, 1000 + o FROM unnest($2::text[]) WITH ORDINALITY AS u(t, o)
       ), named AS (
         SELECT r.side, r.typed, r.ord, c.cleaned, COALESCE(s.canonical, c.cleaned) AS canonical
         FROM raw r
         CROSS JOIN LATERAL (SELECT ${CLEAN_NAME_SQL('r.typed')} AS cleaned) c
         LEFT JOIN drug_synonyms s ON s.name = c.cleaned
         WHERE c.cleaned <> ''
       ), found AS (
         SELECT ci.* FROM contraindications ci
         WHERE (ci.substance IN (SELECT canonical FROM named WHERE side = 's') AND ci.agent IN (SELECT canonical FROM named))
            OR (ci.agent IN (SELECT canonical FROM named WHERE side = 's') AND ci.substance IN (SELECT canonical FROM named))
       )
       SELECT 'interaction' AS kind, f.substance, f.agent, f.severity, f.note, f.source,
              NULL AS typed, NULL AS cleaned, NULL AS canonical, NULL::boolean AS known, 0 AS ord
       FROM found f
       UNION ALL
       SELECT 'input', NULL, NULL, NULL, NULL, NULL, n.typed, n.cleaned, n.canonical,
              EXISTS (SELECT 1 FROM contraindications ci WHERE ci.substance = n.canonical OR ci.agent = n.canonical), n.ord
       FROM named n
       ORDER BY ord`,
      [dto.substances, medications],
    );
    const inputs = rows.filter((r) => r.kind === 'input');
    const typedAlias = (canonical: string): string | undefined => {
      const input = inputs.find((i) => i.canonical === canonical);
      return input && input.cleaned !== input.canonical ? (input.typed ?? undefined) : undefined;
    };
    const rank = (s: InteractionSeverity): number => INTERACTION_SEVERITIES.indexOf(s);
    const interactions: InteractionDto[] = rows
      .filter((r) => r.kind === 'interaction')
      .map((r) => {
        const substanceAs = typedAlias(r.substance!);
        const agentAs = typedAlias(r.agent!);
        return {
          substance: r.substance!,
          agent: r.agent!,
          severity: r.severity!,
          note: r.note!,
          source: r.source!,
          ...(substanceAs !== undefined || agentAs !== undefined
            ? {
                matchedAs: {
                  ...(substanceAs !== undefined ? { substance: substanceAs } : {}),
                  ...(agentAs !== undefined ? { agent: agentAs } : {}),
                },
              }
            : {}),
        };
      })
      .sort(
        (a, b) =>
          rank(a.severity) - rank(b.severity) ||
          (a.substance < b.substance ? -1 : a.substance > b.substance ? 1 : 0) ||
          (a.agent < b.agent ? -1 : a.agent > b.agent ? 1 : 0),
      );
    const unrecognized = new Map<string, string>();
    for (const input of inputs) {
      if (!input.known && !unrecognized.has(input.canonical!))
        unrecognized.set(input.canonical!, input.typed!.trim());
    }
    return {
      interactions,
      unrecognized: [...unrecognized.values()],
      disclaimer: INTERACTION_DISCLAIMER,
    };
  }

  /** A protocol in the caller's read scope (404 otherwise), then checked for `action` (403). */
  private async find(access: AccessContext, id: string, action: Action): Promise<ProtocolRow> {
    const params = new SqlParams();
    const rows: ProtocolRow[] = await this.db.manager.query(
      `SELECT ${COLUMNS} FROM protocols pr
       WHERE pr.id = ${params.add(id)} AND ${params.condition(accessibleCondition(access.ability, 'read', 'Protocol', SUBJECT_SQL.Protocol, 'pr'))}
       ${action === 'read' ? '' : 'FOR UPDATE'}`,
      params.values,
    );
    const row = rows[0];
    if (!row) throw Errors.notFound('Protocol not found');
    if (action !== 'read') {
      const record = {
        id: row.id,
        ownerId: row.owner_id,
        tenantId: row.tenant_id,
        isTest: row.is_test,
      };
      if (!access.ability.can(action, subject('Protocol', record))) {
        throw Errors.forbidden(
          'action_denied',
          actionDenial(access.principal, 'protocol_builder', action, 'protocol'),
        );
      }
    }
    return row;
  }
}
