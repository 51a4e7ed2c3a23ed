import { Injectable } from '@nestjs/common';
import { QueryFailedError } from 'typeorm';
import type { AccessContext } from '../../abilities/access-context';
import { tenancyDenial } from '../../abilities/denials';
import { whereAccessible } from '../../abilities/sql/rules-to-sql';
import { SUBJECT_SQL } from '../../abilities/sql/subject-maps';
import type { ClinicRole } from '../../abilities/tenancy-roles';
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
import { AuditService } from '../audit/audit.service';
import type { AddClinicMemberDto, ClinicMemberDto, UpdateClinicMemberDto } from './dto/member.dto';
import { MembershipEffects } from './membership-effects';
import { asSubject, type ClinicRecord, denyAction, TenancyRecords } from './tenancy-records';

interface ClinicMemberRow {
  tenant_id: string;
  clinic_id: string;
  user_id: string;
  email: string;
  display_name: string | null;
  role: ClinicRole;
  created_at: Date;
  cursor_created_at: string;
}

const COLUMNS = `cm.tenant_id, cm.clinic_id, cm.user_id, u.email, u.display_name, cm.role, cm.created_at,
  cm.created_at::text AS cursor_created_at`;

function toDto(row: ClinicMemberRow): ClinicMemberDto {
  return {
    tenantId: row.tenant_id,
    clinicId: row.clinic_id,
    userId: row.user_id,
    email: row.email,
    displayName: row.display_name,
    role: row.role,
    createdAt: row.created_at.toISOString(),
  };
}

const FOREIGN_KEY_VIOLATION = '23503';

const ONE_MEMBER_CLINIC =
  'This user is already a MEMBER of another clinic (D5: MEMBER of at most one clinic)';

/** Clinic memberships: clinic ADMIN (any number) or MEMBER (at most one clinic), D5. */
@Injectable()
export class ClinicMembersService {
  constructor(
    private readonly db: Db,
    private readonly records: TenancyRecords,
    private readonly effects: MembershipEffects,
    private readonly audit: AuditService,
  ) {}

  /** Tenant OWNER/ADMIN and the clinic's own members; another clinic's member gets 403. */
  async list(
    access: AccessContext,
    clinicId: string,
    query: PageQueryDto,
  ): Promise<Page<ClinicMemberDto>> {
    const clinic = await this.records.clinic(access, clinicId);
    if (
      !access.ability.can('read', asSubject.clinicMember({ tenantId: clinic.tenantId, clinicId }))
    ) {
      throw Errors.forbidden(
        'tenancy_denied',
        tenancyDenial(
          access.principal,
          null,
          'read',
          'Listing the members of a clinic you do not belong to',
        ),
      );
    }
    const limit = pageLimit(query.limit);
    const keyset = keysetCondition(decodeCursor(query.cursor), 'cm.created_at', 'cm.user_id');
    const qb = this.db.manager
      .createQueryBuilder()
      .select(COLUMNS)
      .from('clinic_members', 'cm')
      .innerJoin('users', 'u', 'u.id = cm.user_id')
      .where('cm.tenant_id = :tenantId AND cm.clinic_id = :clinicId', {
        tenantId: clinic.tenantId,
        clinicId,
      });
    whereAccessible(qb, access.ability, 'read', 'ClinicMember', SUBJECT_SQL.ClinicMember, 'cm');
    const rows = await qb
      .andWhere(keyset.sql, keyset.params)
      .orderBy('cm.created_at', 'DESC')
      .addOrderBy('cm.user_id', 'DESC')
      .limit(limit + 1)
      .getRawMany<ClinicMemberRow>();
    return toPage(rows, limit, (r) => r.user_id, toDto);
  }

  /**
   * The user must be a member of the clinic's tenant: anyone else answers 404 (a user id from
   * another tenant is outside the caller's scope, and 409 would confirm that it exists).
   */
  async add(
    access: AccessContext,
    clinicId: string,
    dto: AddClinicMemberDto,
  ): Promise<ClinicMemberDto> {
    const clinic = await this.records.clinic(access, clinicId);
    const target = { tenantId: clinic.tenantId, clinicId, userId: dto.userId, role: dto.role };
    if (!access.ability.can('create', asSubject.clinicMember(target))) {
      denyAction(access, 'create', `clinic member with role ${dto.role}`);
    }
    const current = await this.memberships(clinic.tenantId, dto.userId);
    if (current.some((m) => m.clinic_id === clinicId))
      throw Errors.conflict('This user is already a member of the clinic');
    if (dto.role === 'MEMBER' && current.some((m) => m.role === 'MEMBER'))
      throw Errors.conflict(ONE_MEMBER_CLINIC);
    const outcome = await this.insert(clinic, dto);
    if (outcome === 'not_in_tenant') throw Errors.notFound('No member of this tenant with that id');
    if (outcome === 'conflict') throw Errors.conflict(ONE_MEMBER_CLINIC);
    await this.effects.revokeAccess([dto.userId]);
    await this.audit.record(
      {
        action: 'clinic_member.add',
        subjectType: 'ClinicMember',
        subjectId: `${clinicId}/${dto.userId}`,
        tenantId: clinic.tenantId,
        details: { clinicId, userId: dto.userId, role: dto.role },
      },
      access,
    );
    return this.fetch(clinic, dto.userId);
  }

  async updateRole(
    access: AccessContext,
    clinicId: string,
    userId: string,
    dto: UpdateClinicMemberDto,
  ): Promise<ClinicMemberDto> {
    const clinic = await this.records.clinic(access, clinicId);
    const member = await this.records.clinicMember(access, clinic, userId);
    const { ability } = access;
    if (
      !ability.can('update', asSubject.clinicMember(member)) ||
      !ability.can('update', asSubject.clinicMember({ ...member, role: dto.role }))
    ) {
      denyAction(access, 'update', 'clinic member');
    }
    if (member.role !== dto.role) {
      const others = (await this.memberships(clinic.tenantId, userId)).filter(
        (m) => m.clinic_id !== clinicId,
      );
      if (dto.role === 'MEMBER' && others.some((m) => m.role === 'MEMBER'))
        throw Errors.conflict(ONE_MEMBER_CLINIC);
      await this.db.manager.query(
        `UPDATE clinic_members SET role = $4 WHERE tenant_id = $1 AND clinic_id = $2 AND user_id = $3`,
        [clinic.tenantId, clinicId, userId, dto.role],
      );
      await this.effects.revokeAccess([userId]);
      await this.audit.record(
        {
          action: 'clinic_member.role_change',
          subjectType: 'ClinicMember',
          subjectId: `${clinicId}/${userId}`,
          tenantId: clinic.tenantId,
          details: { clinicId, userId, from: member.role, to: dto.role },
        },
        access,
      );
    }
    return this.fetch(clinic, userId);
  }

  /** OWNER/ADMIN, a clinic ADMIN of it (for MEMBERs), or the member themself (leave). */
  async remove(access: AccessContext, clinicId: string, userId: string): Promise<void> {
    const clinic = await this.records.clinic(access, clinicId);
    const member = await this.records.clinicMember(access, clinic, userId);
    if (!access.ability.can('delete', asSubject.clinicMember(member)))
      denyAction(access, 'delete', 'clinic member');
    await this.db.manager.query(
      `DELETE FROM clinic_members WHERE tenant_id = $1 AND clinic_id = $2 AND user_id = $3`,
      [clinic.tenantId, clinicId, userId],
    );
    await this.effects.unshareFromClinic(clinic.tenantId, clinicId, userId);
    await this.effects.revokeAccess([userId]);
    await this.audit.record(
      {
        action: 'clinic_member.remove',
        subjectType: 'ClinicMember',
        subjectId: `${clinicId}/${userId}`,
        tenantId: clinic.tenantId,
        details: { clinicId, userId, role: member.role, left: userId === access.principal.id },
      },
      access,
    );
  }

  /**
   * The membership insert, with the tenant check left to the foreign key to tenant_members: a
   * clinic ADMIN (a tenant MEMBER) may not read the tenant's member list (RLS), but the key
   * still knows whether the user belongs to the tenant. A savepoint keeps the request's
   * transaction usable when it does not.
   */
  private async insert(
    clinic: ClinicRecord,
    dto: AddClinicMemberDto,
  ): Promise<'inserted' | 'conflict' | 'not_in_tenant'> {
    const m = this.db.manager;
    await m.query('SAVEPOINT clinic_member_insert');
    try {
      const rows: unknown[] = await m.query(
        `INSERT INTO clinic_members (tenant_id, clinic_id, user_id, role) VALUES ($1, $2, $3, $4)
         ON CONFLICT DO NOTHING RETURNING user_id`,
        [clinic.tenantId, clinic.id, dto.userId, dto.role],
      );
      await m.query('RELEASE SAVEPOINT clinic_member_insert');
      return rows.length > 0 ? 'inserted' : 'conflict';
    } catch (error) {
      if (
        !(error instanceof QueryFailedError) ||
        (error.driverError as { code?: string }).code !== FOREIGN_KEY_VIOLATION
      )
        throw error;
      await m.query('ROLLBACK TO SAVEPOINT clinic_member_insert');
      return 'not_in_tenant';
    }
  }

  private memberships(
    tenantId: string,
    userId: string,
  ): Promise<{ clinic_id: string; role: ClinicRole }[]> {
    return this.db.manager.query(
      `SELECT clinic_id, role FROM clinic_members WHERE tenant_id = $1 AND user_id = $2`,
      [tenantId, userId],
    );
  }

  private async fetch(clinic: ClinicRecord, userId: string): Promise<ClinicMemberDto> {
    const rows: ClinicMemberRow[] = await this.db.manager.query(
      `SELECT ${COLUMNS} FROM clinic_members cm JOIN users u ON u.id = cm.user_id
        WHERE cm.tenant_id = $1 AND cm.clinic_id = $2 AND cm.user_id = $3`,
      [clinic.tenantId, clinic.id, userId],
    );
    if (!rows[0]) throw Errors.notFound('Clinic member not found');
    return toDto(rows[0]);
  }
}
