/** Every `code` an error body can carry (API.md "Conventions"). */
export const ERROR_CODES = [
  'validation_failed',
  'unauthenticated',
  'feature_disabled',
  'role_expired',
  'feature_denied',
  'tenancy_denied',
  'action_denied',
  'tier_limit_reached',
  'not_found',
  'conflict',
  'rate_limited',
  'payload_too_large',
  'unsupported_media_type',
  'service_unavailable',
  'internal_error',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

/** 403 codes, in the order the checks run (API.md). */
export const FORBIDDEN_CODES = [
  'feature_disabled',
  'role_expired',
  'feature_denied',
  'tenancy_denied',
  'action_denied',
  'tier_limit_reached',
] as const satisfies readonly ErrorCode[];
export type ForbiddenCode = (typeof FORBIDDEN_CODES)[number];
