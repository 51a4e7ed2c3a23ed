import { Injectable } from '@nestjs/common';
import { subject } from '@casl/ability';
import type { AccessContext } from '../../abilities/access-context';
import type { Action } from '../../abilities/actions';
import { actionDenial } from '../../abilities/denials';
import { whereAccessible } from '../../abilities/sql/rules-to-sql';
import { SUBJECT_SQL } from '../../abilities/sql/subject-maps';
import type { ClinicRole, TenantRole } from '../../abilities/tenancy-roles';
import { Errors } from '../../common/errors/api-exception';
import { Db } from '../../database/request-context';

export interface TenantRecord {
  readonly id: string;
  readonly name: string;
  readonly seatLimit: number | null;
}

export interface ClinicRecord {
  readonly id: string;
  readonly tenantId: string;
  readonly name: string;
}

export interface TenantMemberRecord {
  readonly tenantId: string;
  readonly userId: string;
  readonly role: TenantRole;
}

export interface ClinicMemberRecord {
  readonly tenantId: string;
  readonly clinicId: string;
  readonly userId: string;
  readonly role: ClinicRole;
}

/** The CASL subject objects of tenancy records (camelCase fields, as the factory's conditions). */
export const asSubject = {
  tenant: (t: { id: string }) => subject('Tenant', { id: t.id }),
  clinic: (c: { id?: string; tenantId: string }) =>
    subject('Clinic', { id: c.id, tenantId: c.tenantId }),
  tenantMember: (m: { tenantId: string; userId?: string; role?: TenantRole }) =>
    subject('TenantMember', { tenantId: m.tenantId, userId: m.userId, role: m.role }),
  clinicMember: (m: { tenantId: string; clinicId: string; userId?: string; role?: ClinicRole }) =>
    subject('ClinicMember', {
      tenantId: m.tenantId,
      clinicId: m.clinicId,
      userId: m.userId,
      role: m.role,
    }),
  seat: (s: { tenantId: string; userId: string }) =>
    subject('Seat', { tenantId: s.tenantId, userId: s.userId }),
};

/** 403 action_denied for a record the caller can see but may not change (API.md order of checks). */
export function denyAction(access: AccessContext, action: Action, what: string): never {
  throw Errors.forbidden('action_denied', actionDenial(access.principal, null, action, what));
}

/**
 * Loads tenancy records through the caller's read scope: a record outside it answers 404,
 * exactly like a missing one (its existence is not revealed).
 */
@Injectable()
export class TenancyRecords {
  constructor(private readonly db: Db) {}

  async tenant(access: AccessContext, id: string): Promise<TenantRecord> {
    const qb = this.db.manager
      .createQueryBuilder()
      .select('t.id', 'id')
      .addSelect('t.name', 'name')
      .addSelect('t.seat_limit', 'seat_limit')
      .from('tenants', 't')
      .where('t.id = :id', { id });
    const row = await whereAccessible(
      qb,
      access.ability,
      'read',
      'Tenant',
      SUBJECT_SQL.Tenant,
      't',
    ).getRawOne<{
      id: string;
      name: string;
      seat_limit: number | null;
    }>();
    if (!row) throw Errors.notFound('Tenant not found');
    return { id: row.id, name: row.name, seatLimit: row.seat_limit };
  }

  async clinic(access: AccessContext, id: string): Promise<ClinicRecord> {
    const qb = this.db.manager
      .createQueryBuilder()
      .select('c.id', 'id')
      .addSelect('c.tenant_id', 'tenant_id')
      .addSelect('c.name', 'name')
      .from('clinics', 'c')
      .where('c.id = :id', { id });
    const row = await whereAccessible(
      qb,
      access.ability,
      'read',
      'Clinic',
      SUBJECT_SQL.Clinic,
      'c',
    ).getRawOne<{
      id: string;
      tenant_id: string;
      name: string;
    }>();
    if (!row) throw Errors.notFound('Clinic not found');
    return { id: row.id, tenantId: row.tenant_id, name: row.name };
  }

  async tenantMember(
    access: AccessContext,
    tenantId: string,
    userId: string,
  ): Promise<TenantMemberRecord> {
    const qb = this.db.manager
      .createQueryBuilder()
      .select('tm.tenant_id', 'tenant_id')
      .addSelect('tm.user_id', 'user_id')
      .addSelect('tm.role', 'role')
      .from('tenant_members', 'tm')
      .where('tm.tenant_id = :tenantId AND tm.user_id = :userId', { tenantId, userId });
    const row = await whereAccessible(
      qb,
      access.ability,
      'read',
      'TenantMember',
      SUBJECT_SQL.TenantMember,
      'tm',
    ).getRawOne<{ tenant_id: string; user_id: string; role: TenantRole }>();
    if (!row) throw Errors.notFound('Member not found');
    return { tenantId: row.tenant_id, userId: row.user_id, role: row.role };
  }

  async clinicMember(
    access: AccessContext,
    clinic: ClinicRecord,
    userId: string,
  ): Promise<ClinicMemberRecord> {
    const qb = this.db.manager
      .createQueryBuilder()
      .select('cm.tenant_id', 'tenant_id')
      .addSelect('cm.clinic_id', 'clinic_id')
      .addSelect('cm.user_id', 'user_id')
      .addSelect('cm.role', 'role')
      .from('clinic_members', 'cm')
      .where('cm.tenant_id = :tenantId AND cm.clinic_id = :clinicId AND cm.user_id = :userId', {
        tenantId: clinic.tenantId,
        clinicId: clinic.id,
        userId,
      });
    const row = await whereAccessible(
      qb,
      access.ability,
      'read',
      'ClinicMember',
      SUBJECT_SQL.ClinicMember,
      'cm',
    ).getRawOne<{ tenant_id: string; clinic_id: string; user_id: string; role: ClinicRole }>();
    if (!row) throw Errors.notFound('Clinic member not found');
    return {
      tenantId: row.tenant_id,
      clinicId: row.clinic_id,
      userId: row.user_id,
      role: row.role,
    };
  }
}
