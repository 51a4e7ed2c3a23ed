import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { LEGACY_TIER_IDS, TIERS, type Tier, isTier } from '../abilities/tiers';

export class TierMismatchError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(
      `ref_user_roles does not match the tiers the code knows (src/abilities/tiers.ts): ${problems.join('; ')}`,
    );
    this.name = 'TierMismatchError';
  }
}

/** Compares `ref_user_roles` rows with the code's tier list; returns one line per difference. */
export function compareTiers(rows: readonly { id: number; role_name: string }[]): string[] {
  const problems: string[] = [];
  const inDb = new Map(rows.map((r) => [r.role_name, r.id]));
  const missing = TIERS.filter((tier) => !inDb.has(tier));
  const unknown = rows.map((r) => r.role_name).filter((name) => !isTier(name));
  if (missing.length) problems.push(`missing tier(s) in the database: ${missing.join(', ')}`);
  if (unknown.length)
    problems.push(`tier(s) in the database unknown to the code: ${unknown.join(', ')}`);
  for (const [name, id] of Object.entries(LEGACY_TIER_IDS)) {
    const actual = inDb.get(name);
    if (actual !== undefined && actual !== id)
      problems.push(`legacy tier ${name} has id ${actual}, expected ${id}`);
  }
  return problems;
}

/**
 * Maps tier names to `ref_user_roles` ids, loaded once at boot. Loading doubles as the boot
 * check (seed 002's lesson: a role that exists only in TypeScript breaks SQL): the app
 * refuses to start, naming the difference, when the table and the code disagree.
 */
@Injectable()
export class TierRegistry implements OnModuleInit {
  private readonly logger = new Logger(TierRegistry.name);
  private idByTier = new Map<Tier, number>();
  private tierById = new Map<number, Tier>();

  constructor(private readonly dataSource: DataSource) {}

  async onModuleInit(): Promise<void> {
    const rows: { id: number; role_name: string }[] = await this.dataSource.query(
      'SELECT id, role_name FROM ref_user_roles ORDER BY id',
    );
    const problems = compareTiers(rows);
    if (problems.length) throw new TierMismatchError(problems);
    for (const row of rows) {
      if (!isTier(row.role_name)) continue;
      this.idByTier.set(row.role_name, row.id);
      this.tierById.set(row.id, row.role_name);
    }
    this.logger.log(`ref_user_roles matches the ${TIERS.length} tiers of the code`);
  }

  idOf(tier: Tier): number {
    const id = this.idByTier.get(tier);
    if (id === undefined) throw new Error(`Tier ${tier} is not loaded`);
    return id;
  }

  tierOf(id: number): Tier {
    const tier = this.tierById.get(id);
    if (tier === undefined) throw new Error(`No tier with id ${id}`);
    return tier;
  }
}
