import type { Principal } from '../auth/principal';
import type { ForbiddenCode } from '../common/errors/error-codes';
import {
  effectiveLevel,
  isPlatformAdmin,
  isTierExpired,
  type AbilityInput,
} from './ability.factory';
import type { Action } from './actions';
import { FEATURE_MATRIX } from './feature-matrix';
import { UNSWITCHABLE_FEATURES, type Feature } from './features';
import { TIERS, type Tier } from './tiers';

export interface Denial {
  readonly code: ForbiddenCode;
  readonly feature: Feature | null;
  readonly action: Action;
  readonly tier: Tier | null;
  readonly reason: string;
}

function tiersWith(feature: Feature, levels: readonly string[]): Tier[] {
  return TIERS.filter((tier) => levels.includes(FEATURE_MATRIX[feature][tier]));
}

/**
 * The route-level feature check, in API.md's order: feature_disabled, role_expired,
 * feature_denied. Returns null when the tier allows (feature, action); the tenancy check
 * (tenancy_denied) and the record checks come after it.
 */
export function featureDenial(
  input: AbilityInput,
  feature: Feature,
  action: Action,
): Denial | null {
  const { principal } = input;
  const tier = principal.tier;
  const base = { feature, action, tier };
  if (input.disabledFeatures.has(feature) && !UNSWITCHABLE_FEATURES.includes(feature)) {
    return {
      ...base,
      code: 'feature_disabled',
      reason: `The ${feature} feature is switched off${principal.tenant ? ' for this tenant or platform-wide' : ' platform-wide'}; a platform admin can switch it back on.`,
    };
  }
  if (isPlatformAdmin(principal)) return null;
  if (isTierExpired(principal, input.now)) {
    return {
      ...base,
      code: 'role_expired',
      reason: `Tier ${tier} expired at ${principal.tierExpiresAt?.toISOString()}; a platform admin can extend it or assign another tier.`,
    };
  }
  const level = effectiveLevel(input, feature);
  if (level === 'none') {
    return {
      ...base,
      code: 'feature_denied',
      reason: `Tier ${tier} does not include ${feature}; it is included in tiers ${tiersWith(feature, ['full', 'read', 'basic']).join(', ')}.`,
    };
  }
  if (level === 'read' && action !== 'read') {
    return {
      ...base,
      code: 'feature_denied',
      reason: `Tier ${tier} has read-only access to ${feature}; ${action} needs one of ${tiersWith(feature, ['full', 'basic']).join(', ')}.`,
    };
  }
  return null;
}

export function tenancyDenial(
  principal: Principal,
  feature: Feature | null,
  action: Action,
  what: string,
): Denial {
  const reason =
    feature === 'admin_panel'
      ? `${what} needs a platform admin, or a tenant OWNER/ADMIN for their own tenant.`
      : `${what} is not allowed for your tenancy role (${principal.tenant ? `tenant ${principal.tenant.role}` : 'no tenant'}${principal.clinics.length ? `, clinic ${principal.clinics.map((c) => c.role).join('/')}` : ''}).`;
  return { code: 'tenancy_denied', feature, action, tier: principal.tier, reason };
}

export function actionDenial(
  principal: Principal,
  feature: Feature | null,
  action: Action,
  what: string,
): Denial {
  return {
    code: 'action_denied',
    feature,
    action,
    tier: principal.tier,
    reason: `You can see this ${what} but may not ${action} it with your role.`,
  };
}
