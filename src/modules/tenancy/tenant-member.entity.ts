import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn, type Relation } from 'typeorm';
import type { TenantRole } from '../../abilities/tenancy-roles';
import { TenantScopedEntity } from '../../common/tenant-scoped.entity';
import { User } from '../users/user.entity';

@Entity({ name: 'tenant_members' })
export class TenantMember extends TenantScopedEntity {
  @PrimaryColumn({ name: 'tenant_id', type: 'uuid' })
  declare tenantId: string;

  @PrimaryColumn({ name: 'user_id', type: 'uuid' })
  userId!: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user?: Relation<User>;

  @Column({ type: 'text' })
  role!: TenantRole;
}
