/**
 * Role tiers: the one source of truth in code for `ref_user_roles` (PRODUCT.md §2.1).
 * The boot check (src/database/tier-consistency.ts) refuses to start when the table and
 * this list disagree, so a tier can never exist only in TypeScript or only in SQL
 * (seed 002's lesson).
 */
export const LEGACY_TIERS = ['admin', 'partner', 'user'] as const;
export const NEW_TIERS = [
  'owner',
  'partner_free',
  'partner_paid',
  'beta_observer',
  'user_free',
  'user_pro',
  'user_premium',
  'user_enterprise',
] as const;
export const TIERS = [...LEGACY_TIERS, ...NEW_TIERS] as const;
export type Tier = (typeof TIERS)[number];

/** Legacy ids are fixed by the production database (seed 000): never renumber them. */
export const LEGACY_TIER_IDS: Readonly<Record<(typeof LEGACY_TIERS)[number], number>> = {
  admin: 1,
  partner: 2,
  user: 3,
};
export const DEFAULT_TIER_ID = LEGACY_TIER_IDS.user;

export const TIER_DESCRIPTIONS: Readonly<Record<Tier, string>> = {
  admin: 'System administrator with full access',
  partner: 'Partner organization with elevated privileges',
  user: 'Standard user with basic access',
  owner: 'Business owner — full data access, no system admin controls',
  partner_free:
    'Free pilot partner — full Wellness Journey (TEST data only), no Analytics/Protocol Builder/Export',
  partner_paid:
    'Paid pilot partner — Wellness Journey + Protocol Builder + Analytics + Data Export',
  beta_observer: 'Non-practitioner UI/UX tester — demo shell, read-only. Time-boxed role.',
  user_free: 'Free tier — limited access, no multi-patient dashboard or analytics',
  user_pro: 'Paid Tier 1 — individual practitioners and researchers',
  user_premium: 'Paid Tier 2 — advanced features unlocked',
  user_enterprise: 'Multi-seat — clinics and research organizations',
};

/** Partner tiers work only on their own test data (PRODUCT.md §2.3, partner overlay). */
export const PARTNER_TIERS = ['partner', 'partner_free', 'partner_paid', 'beta_observer'] as const;
export type PartnerTier = (typeof PARTNER_TIERS)[number];

/** The tier an enterprise seat grants (D6). */
export const ENTERPRISE_SEAT_TIER = 'user_enterprise' satisfies Tier;

export function isTier(value: unknown): value is Tier {
  return typeof value === 'string' && (TIERS as readonly string[]).includes(value);
}

export function isPartnerTier(tier: Tier): tier is PartnerTier {
  return (PARTNER_TIERS as readonly string[]).includes(tier);
}
