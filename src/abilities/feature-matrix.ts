import type { Feature } from './features';
import type { Level } from './levels';
import type { Tier } from './tiers';

/**
 * Feature level per tier — a typed copy of `shared/spec/feature-matrix.csv` (seeds 000/001,
 * with D1 for the legacy tiers and D3 for partner_free). A unit test compares it with the
 * CSV cell by cell, so the two cannot drift.
 */
export const FEATURE_MATRIX = {
  wellness_journey: {
    admin: 'full', owner: 'full', partner_paid: 'full', partner_free: 'full', beta_observer: 'read',
    user_enterprise: 'full', user_premium: 'full', user_pro: 'full', user_free: 'basic', partner: 'full', user: 'basic',
  },
  session_vitals: {
    admin: 'full', owner: 'full', partner_paid: 'full', partner_free: 'full', beta_observer: 'read',
    user_enterprise: 'full', user_premium: 'full', user_pro: 'full', user_free: 'full', partner: 'full', user: 'full',
  },
  baseline_assessments: {
    admin: 'full', owner: 'full', partner_paid: 'full', partner_free: 'full', beta_observer: 'read',
    user_enterprise: 'full', user_premium: 'full', user_pro: 'full', user_free: 'full', partner: 'full', user: 'full',
  },
  multi_patient_dashboard: {
    admin: 'full', owner: 'full', partner_paid: 'full', partner_free: 'full', beta_observer: 'read',
    user_enterprise: 'full', user_premium: 'full', user_pro: 'full', user_free: 'none', partner: 'full', user: 'none',
  },
  protocol_builder: {
    admin: 'full', owner: 'full', partner_paid: 'full', partner_free: 'none', beta_observer: 'read',
    user_enterprise: 'full', user_premium: 'full', user_pro: 'full', user_free: 'none', partner: 'none', user: 'none',
  },
  data_export: {
    admin: 'full', owner: 'full', partner_paid: 'full', partner_free: 'none', beta_observer: 'none',
    user_enterprise: 'full', user_premium: 'full', user_pro: 'full', user_free: 'none', partner: 'none', user: 'none',
  },
  analytics: {
    admin: 'full', owner: 'full', partner_paid: 'full', partner_free: 'none', beta_observer: 'none',
    user_enterprise: 'full', user_premium: 'full', user_pro: 'full', user_free: 'none', partner: 'none', user: 'none',
  },
  benchmark_intel: {
    admin: 'full', owner: 'full', partner_paid: 'full', partner_free: 'none', beta_observer: 'none',
    user_enterprise: 'full', user_premium: 'full', user_pro: 'none', user_free: 'none', partner: 'read', user: 'none',
  },
  admin_panel: {
    admin: 'full', owner: 'full', partner_paid: 'none', partner_free: 'none', beta_observer: 'none',
    user_enterprise: 'full', user_premium: 'none', user_pro: 'none', user_free: 'none', partner: 'none', user: 'none',
  },
} as const satisfies Readonly<Record<Feature, Readonly<Record<Tier, Level>>>>;

export function featureLevel(feature: Feature, tier: Tier): Level {
  return FEATURE_MATRIX[feature][tier];
}
