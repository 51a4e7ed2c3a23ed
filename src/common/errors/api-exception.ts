import { HttpException, HttpStatus } from '@nestjs/common';
import type { Action } from '../../abilities/actions';
import type { Feature } from '../../abilities/features';
import type { Tier } from '../../abilities/tiers';
import type { ErrorCode, ForbiddenCode } from './error-codes';

export interface FieldProblem {
  readonly field: string;
  readonly message: string;
}

export interface ApiErrorBody {
  readonly statusCode: number;
  readonly error: string;
  readonly message: string;
  readonly code: ErrorCode;
  readonly [detail: string]: unknown;
}

const REASON_PHRASES: Readonly<Record<number, string>> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

export function reasonPhrase(status: number): string {
  return REASON_PHRASES[status] ?? 'Error';
}

/** An error with the API.md body shape; the global filter writes `body` as is. */
export class ApiException extends HttpException {
  constructor(
    status: number,
    readonly code: ErrorCode,
    message: string,
    readonly details: Readonly<Record<string, unknown>> = {},
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super({ statusCode: status, error: reasonPhrase(status), message, code, ...details }, status);
  }

  get body(): ApiErrorBody {
    return this.getResponse() as ApiErrorBody;
  }
}

export const Errors = {
  validation: (details: readonly FieldProblem[], message = 'Request validation failed') =>
    new ApiException(HttpStatus.BAD_REQUEST, 'validation_failed', message, { details }),
  unauthenticated: (message = 'Missing, malformed, expired or revoked token') =>
    new ApiException(HttpStatus.UNAUTHORIZED, 'unauthenticated', message),
  notFound: (message = 'Not found') => new ApiException(HttpStatus.NOT_FOUND, 'not_found', message),
  conflict: (message: string, details: Readonly<Record<string, unknown>> = {}) =>
    new ApiException(HttpStatus.CONFLICT, 'conflict', message, details),
  forbidden: (
    code: ForbiddenCode,
    denial: { feature: Feature | null; action: Action; tier: Tier | null; reason: string },
  ) =>
    new ApiException(HttpStatus.FORBIDDEN, code, denial.reason, {
      feature: denial.feature,
      action: denial.action,
      tier: denial.tier,
      reason: denial.reason,
    }),
  rateLimited: (retryAfterSeconds: number) =>
    new ApiException(
      HttpStatus.TOO_MANY_REQUESTS,
      'rate_limited',
      `Too many requests; retry in ${retryAfterSeconds} s`,
      { retryAfter: retryAfterSeconds },
      { 'Retry-After': String(retryAfterSeconds) },
    ),
};
