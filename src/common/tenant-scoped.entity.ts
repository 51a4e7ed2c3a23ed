import { Column, CreateDateColumn, JoinColumn, ManyToOne, type Relation } from 'typeorm';
import { Tenant } from '../modules/tenancy/tenant.entity';

/**
 * Base of every tenant-scoped table: a `tenant_id` column with its foreign key.
 * Migrations make `tenant_id` the first column of each unique key and index of these
 * tables; `TENANT_SCOPED_TABLES` (src/database/table-registry.ts) lists them and a test
 * checks the database against that list.
 */
export abstract class TenantScopedEntity {
  @Column({ name: 'tenant_id', type: 'uuid' })
  tenantId!: string;

  @ManyToOne(() => Tenant, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'tenant_id' })
  tenant?: Relation<Tenant>;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
