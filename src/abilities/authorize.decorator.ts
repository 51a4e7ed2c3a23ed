import { applyDecorators, SetMetadata } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiExtension,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { ApiErrorDto } from '../common/errors/api-error.dto';
import type { Action } from './actions';
import type { Feature } from './features';
import { featureOfSubject, type SubjectType } from './subjects';

export const AUTHORIZE_KEY = 'auth:authorize';

export interface RouteRule {
  readonly action: Action;
  readonly subject: SubjectType;
  /** Derived from the subject: the tier-gated feature, or null for tenancy subjects (D8). */
  readonly feature: Feature | null;
}

/**
 * The one decorator that states a route's rule: the caller must be allowed `action` on
 * `subject` (tier level of the subject's feature, then tenancy), checked by the global
 * AbilityGuard before the body is validated. It also writes the route's OpenAPI security
 * and 401/403 answers, and an `x-authorization` extension the route snapshot reads.
 * Record-level scope (404) is the service's job, through the same ability.
 */
export function Authorize(action: Action, subject: SubjectType): MethodDecorator {
  const rule: RouteRule = { action, subject, feature: featureOfSubject(subject) };
  const needs = rule.feature
    ? `feature ${rule.feature} (${action})`
    : `tenancy rule ${action} ${subject}`;
  return applyDecorators(
    SetMetadata(AUTHORIZE_KEY, rule),
    ApiBearerAuth('bearer'),
    ApiExtension('x-authorization', { action, subject, feature: rule.feature }),
    ApiUnauthorizedResponse({
      type: ApiErrorDto,
      description: 'unauthenticated: missing, malformed, expired or revoked token',
    }),
    ApiForbiddenResponse({
      type: ApiErrorDto,
      description: `Needs ${needs}. Codes, in check order: feature_disabled, role_expired, feature_denied, tenancy_denied, then action_denied for a record you may read but not change.`,
    }),
    ApiNotFoundResponse({
      type: ApiErrorDto,
      description: 'not_found: no such record in your data scope',
    }),
    ApiBadRequestResponse({
      type: ApiErrorDto,
      description: 'validation_failed, with details [{ field, message }]',
    }),
    ApiTooManyRequestsResponse({
      type: ApiErrorDto,
      description: 'rate_limited, with Retry-After',
    }),
  );
}

export const AUTHENTICATED_ONLY_KEY = 'auth:authenticatedOnly';

/**
 * For the few routes about the caller themself (GET /me, logout): any valid token, no
 * ability. Declared explicitly so that a route with no declaration at all still fails
 * the startup check.
 */
export function AuthenticatedOnly(): MethodDecorator {
  return applyDecorators(
    SetMetadata(AUTHENTICATED_ONLY_KEY, true),
    ApiBearerAuth('bearer'),
    ApiExtension('x-authorization', { authenticatedOnly: true }),
    ApiUnauthorizedResponse({
      type: ApiErrorDto,
      description: 'unauthenticated: missing, malformed, expired or revoked token',
    }),
  );
}
