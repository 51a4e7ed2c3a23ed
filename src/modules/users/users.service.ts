import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { PlatformRole } from '../../abilities/platform-roles';
import type { Tier } from '../../abilities/tiers';
import { hashPassword } from '../../auth/passwords';
import { TierRegistry } from '../../database/tier-registry';
import { UserProfile } from './user-profile.entity';
import { User } from './user.entity';

export interface CreateUserInput {
  readonly email: string;
  readonly displayName?: string | null;
  readonly password?: string | null;
  readonly tier: Tier;
  readonly tierExpiresAt?: Date | null;
  readonly platformRole?: PlatformRole | null;
  /** False for invited users until they accept. */
  readonly activated?: boolean;
}

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

@Injectable()
export class UsersService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly tiers: TierRegistry,
  ) {}

  /** Creates a user and their profile in one transaction (or inside `manager`'s). */
  async create(input: CreateUserInput, manager?: EntityManager): Promise<User> {
    const passwordHash = input.password ? await hashPassword(input.password) : null;
    const run = async (em: EntityManager): Promise<User> => {
      const user = await em.save(
        em.create(User, {
          email: normalizeEmail(input.email),
          displayName: input.displayName ?? null,
          passwordHash,
          platformRole: input.platformRole ?? null,
          activatedAt: input.activated === false ? null : new Date(),
        }),
      );
      await em.save(
        em.create(UserProfile, {
          userId: user.id,
          roleId: this.tiers.idOf(input.tier),
          roleExpiresAt: input.tierExpiresAt ?? null,
        }),
      );
      return user;
    };
    return manager ? run(manager) : this.dataSource.transaction(run);
  }

  findByEmail(email: string): Promise<User | null> {
    return this.dataSource.getRepository(User).findOne({ where: { email: normalizeEmail(email) } });
  }

  async platformAdminExists(): Promise<boolean> {
    return this.dataSource
      .getRepository(User)
      .exists({ where: { platformRole: 'PLATFORM_ADMIN' } });
  }
}
