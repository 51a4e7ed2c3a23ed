import { Injectable } from '@nestjs/common';
import { packRules } from '@casl/ability/extra';
import type { Principal } from '../auth/principal';
import {
  buildAbility,
  effectiveLevel,
  isTierExpired,
  type AbilityInput,
  type AppAbility,
} from './ability.factory';
import { FeatureFlagsService } from './feature-flags.service';
import { FEATURES, type Feature } from './features';
import type { Level } from './levels';

const MAX_CACHED = 10_000;

/**
 * Abilities are cached per user × token_version × expiry state × flag version: every role
 * change bumps token_version (API.md), so a cached ability can never outlive the roles it
 * was built from, on any instance.
 */
@Injectable()
export class AbilityService {
  private readonly cache = new Map<string, { ability: AppAbility; input: AbilityInput }>();

  constructor(private readonly flags: FeatureFlagsService) {}

  async forPrincipal(
    principal: Principal,
    now = new Date(),
  ): Promise<{ ability: AppAbility; input: AbilityInput }> {
    const disabledFeatures = await this.flags.disabledFor(principal.tenant?.id ?? null);
    const expired = isTierExpired(principal, now);
    const key = `${principal.id}:${principal.tokenVersion}:${expired ? 1 : 0}:${this.flags.version}`;
    const hit = this.cache.get(key);
    if (hit) {
      // Refresh recency (Map keeps insertion order: oldest first).
      this.cache.delete(key);
      this.cache.set(key, hit);
      return { ability: hit.ability, input: { ...hit.input, now } };
    }
    const input: AbilityInput = { principal, disabledFeatures, now };
    const entry = { ability: buildAbility(input), input };
    this.cache.set(key, entry);
    if (this.cache.size > MAX_CACHED) this.cache.delete(this.cache.keys().next().value as string);
    return entry;
  }

  /** Drops a user's cached abilities (belt and braces: token_version already changes the key). */
  invalidateUser(userId: string): void {
    for (const key of this.cache.keys()) if (key.startsWith(`${userId}:`)) this.cache.delete(key);
  }

  /** GET /me/abilities: packed rules for front ends, and the level of each feature. */
  async describeFor(
    principal: Principal,
  ): Promise<{ rules: unknown[]; features: Record<Feature, Level> }> {
    const { ability, input } = await this.forPrincipal(principal);
    const features = Object.fromEntries(
      FEATURES.map((f) => [f, effectiveLevel(input, f)]),
    ) as Record<Feature, Level>;
    return { rules: packRules(ability.rules), features };
  }
}
