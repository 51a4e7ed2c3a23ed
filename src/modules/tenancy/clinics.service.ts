import { Injectable } from '@nestjs/common';
import type { AccessContext } from '../../abilities/access-context';
import { whereAccessible } from '../../abilities/sql/rules-to-sql';
import { SUBJECT_SQL } from '../../abilities/sql/subject-maps';
import { Errors } from '../../common/errors/api-exception';
import {
  decodeCursor,
  keysetCondition,
  type Page,
  pageLimit,
  type PageQueryDto,
  toPage,
} from '../../common/pagination/pagination';
import { Db } from '../../database/request-context';
import { returningRows } from '../../database/returning';
import { AuditService } from '../audit/audit.service';
import type { ClinicDto, ClinicNameDto } from './dto/clinic.dto';
import { MembershipEffects } from './membership-effects';
import { asSubject, denyAction, TenancyRecords } from './tenancy-records';

interface ClinicRow {
  id: string;
  tenant_id: string;
  name: string;
  created_at: Date;
  updated_at: Date;
  cursor_created_at: string;
}

const CLINIC_COLUMNS = `c.id, c.tenant_id, c.name, c.created_at, c.updated_at, c.created_at::text AS cursor_created_at`;

function toClinicDto(row: ClinicRow): ClinicDto {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    name: row.name,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

const NAME_TAKEN = 'A clinic with this name already exists in the tenant';

/** Clinics (seed 003's groups) inside a tenant. */
@Injectable()
export class ClinicsService {
  constructor(
    private readonly db: Db,
    private readonly records: TenancyRecords,
    private readonly effects: MembershipEffects,
    private readonly audit: AuditService,
  ) {}

  async create(access: AccessContext, tenantId: string, dto: ClinicNameDto): Promise<ClinicDto> {
    await this.records.tenant(access, tenantId);
    if (!access.ability.can('create', asSubject.clinic({ tenantId })))
      denyAction(access, 'create', 'clinic');
    const rows: { id: string }[] = await this.db.manager.query(
      `INSERT INTO clinics (tenant_id, name) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING id`,
      [tenantId, dto.name],
    );
    if (!rows[0]) throw Errors.conflict(NAME_TAKEN);
    const clinic = await this.fetch(rows[0].id);
    await this.audit.record(
      {
        action: 'clinic.create',
        subjectType: 'Clinic',
        subjectId: clinic.id,
        tenantId,
        details: { name: clinic.name },
      },
      access,
    );
    return clinic;
  }

  async list(
    access: AccessContext,
    tenantId: string,
    query: PageQueryDto,
  ): Promise<Page<ClinicDto>> {
    await this.records.tenant(access, tenantId);
    const limit = pageLimit(query.limit);
    const keyset = keysetCondition(decodeCursor(query.cursor), 'c.created_at', 'c.id');
    const qb = this.db.manager
      .createQueryBuilder()
      .select(CLINIC_COLUMNS)
      .from('clinics', 'c')
      .where('c.tenant_id = :tenantId', { tenantId });
    whereAccessible(qb, access.ability, 'read', 'Clinic', SUBJECT_SQL.Clinic, 'c');
    const rows = await qb
      .andWhere(keyset.sql, keyset.params)
      .orderBy('c.created_at', 'DESC')
      .addOrderBy('c.id', 'DESC')
      .limit(limit + 1)
      .getRawMany<ClinicRow>();
    return toPage(rows, limit, (r) => r.id, toClinicDto);
  }

  async get(access: AccessContext, id: string): Promise<ClinicDto> {
    await this.records.clinic(access, id);
    return this.fetch(id);
  }

  async update(access: AccessContext, id: string, dto: ClinicNameDto): Promise<ClinicDto> {
    const clinic = await this.records.clinic(access, id);
    if (!access.ability.can('update', asSubject.clinic(clinic)))
      denyAction(access, 'update', 'clinic');
    if (dto.name !== clinic.name) {
      const taken: unknown[] = await this.db.manager.query(
        `SELECT 1 FROM clinics WHERE tenant_id = $1 AND name = $2 AND id <> $3`,
        [clinic.tenantId, dto.name, id],
      );
      if (taken.length > 0) throw Errors.conflict(NAME_TAKEN);
      await this.db.manager.query(
        `UPDATE clinics SET name = $2, updated_at = now() WHERE id = $1`,
        [id, dto.name],
      );
      await this.audit.record(
        {
          action: 'clinic.update',
          subjectType: 'Clinic',
          subjectId: id,
          tenantId: clinic.tenantId,
          details: { changes: { name: { from: clinic.name, to: dto.name } } },
        },
        access,
      );
    }
    return this.fetch(id);
  }

  /** Deleting a clinic ends its memberships (their tokens die) and its check-in shares. */
  async remove(access: AccessContext, id: string): Promise<void> {
    const clinic = await this.records.clinic(access, id);
    if (!access.ability.can('delete', asSubject.clinic(clinic)))
      denyAction(access, 'delete', 'clinic');
    const members = returningRows<{ user_id: string }>(
      await this.db.manager.query(
        `DELETE FROM clinic_members WHERE tenant_id = $1 AND clinic_id = $2 RETURNING user_id`,
        [clinic.tenantId, id],
      ),
    );
    await this.db.manager.query(`DELETE FROM clinics WHERE id = $1`, [id]);
    await this.effects.revokeAccess(members.map((m) => m.user_id));
    await this.audit.record(
      {
        action: 'clinic.delete',
        subjectType: 'Clinic',
        subjectId: id,
        tenantId: clinic.tenantId,
        details: { name: clinic.name, members: members.length },
      },
      access,
    );
  }

  private async fetch(id: string): Promise<ClinicDto> {
    const rows: ClinicRow[] = await this.db.manager.query(
      `SELECT ${CLINIC_COLUMNS} FROM clinics c WHERE c.id = $1`,
      [id],
    );
    if (!rows[0]) throw Errors.notFound('Clinic not found');
    return toClinicDto(rows[0]);
  }
}
