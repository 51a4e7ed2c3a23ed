import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { ClinicRole } from '../../abilities/tenancy-roles';
import { TenantScopedEntity } from '../../common/tenant-scoped.entity';

@Entity({ name: 'clinic_members' })
export class ClinicMember extends TenantScopedEntity {
  @PrimaryColumn({ name: 'tenant_id', type: 'uuid' })
  declare tenantId: string;

  @PrimaryColumn({ name: 'clinic_id', type: 'uuid' })
  clinicId!: string;

  @PrimaryColumn({ name: 'user_id', type: 'uuid' })
  userId!: string;

  @Column({ type: 'text' })
  role!: ClinicRole;
}
