import {
  Column,
  Entity,
  JoinColumn,
  ManyToOne,
  OneToOne,
  PrimaryColumn,
  UpdateDateColumn,
  type Relation,
} from 'typeorm';
import { DEFAULT_TIER_ID } from '../../abilities/tiers';
import { RefUserRole } from './ref-user-role.entity';
import { User } from './user.entity';

@Entity({ name: 'user_profiles' })
export class UserProfile {
  @PrimaryColumn({ name: 'user_id', type: 'uuid' })
  userId!: string;

  @OneToOne(() => User, (user) => user.profile, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user?: Relation<User>;

  @Column({ name: 'role_id', type: 'integer', default: DEFAULT_TIER_ID })
  roleId!: number;

  @ManyToOne(() => RefUserRole)
  @JoinColumn({ name: 'role_id' })
  role?: Relation<RefUserRole>;

  /** Time-boxed tiers (beta_observer): past this instant every feature answers 403 role_expired. */
  @Column({ name: 'role_expires_at', type: 'timestamptz', nullable: true })
  roleExpiresAt!: Date | null;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
