import { randomBytes } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { ClinicRole, TenantRole } from '../../src/abilities/tenancy-roles';

/** Tenancy rows inserted directly (owner connection, no RLS, no HTTP): fast test setup. */

export interface TestTenant {
  readonly id: string;
  readonly name: string;
}

export interface TestClinic {
  readonly id: string;
  readonly tenantId: string;
  readonly name: string;
}

const suffix = (): string => randomBytes(4).toString('hex');

export async function createTenant(
  dataSource: DataSource,
  options: { name?: string; seatLimit?: number | null } = {},
): Promise<TestTenant> {
  const name = options.name ?? `Tenant ${suffix()}`;
  const rows: { id: string }[] = await dataSource.query(
    `INSERT INTO tenants (name, seat_limit) VALUES ($1, $2) RETURNING id`,
    [name, options.seatLimit ?? null],
  );
  return { id: rows[0].id, name };
}

export async function createClinic(
  dataSource: DataSource,
  tenantId: string,
  options: { name?: string } = {},
): Promise<TestClinic> {
  const name = options.name ?? `Clinic ${suffix()}`;
  const rows: { id: string }[] = await dataSource.query(
    `INSERT INTO clinics (tenant_id, name) VALUES ($1, $2) RETURNING id`,
    [tenantId, name],
  );
  return { id: rows[0].id, tenantId, name };
}

export async function addTenantMember(
  dataSource: DataSource,
  tenantId: string,
  userId: string,
  role: TenantRole,
): Promise<void> {
  await dataSource.query(
    `INSERT INTO tenant_members (tenant_id, user_id, role) VALUES ($1, $2, $3)`,
    [tenantId, userId, role],
  );
}

export async function addClinicMember(
  dataSource: DataSource,
  tenantId: string,
  clinicId: string,
  userId: string,
  role: ClinicRole,
): Promise<void> {
  await dataSource.query(
    `INSERT INTO clinic_members (tenant_id, clinic_id, user_id, role) VALUES ($1, $2, $3, $4)`,
    [tenantId, clinicId, userId, role],
  );
}
