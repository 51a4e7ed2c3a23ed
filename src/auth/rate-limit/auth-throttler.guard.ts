import { type ExecutionContext, Injectable } from '@nestjs/common';
import { ThrottlerGuard } from '@nestjs/throttler';
import { createHash } from 'node:crypto';
import { Errors } from '../../common/errors/api-exception';

export const AUTH_IP_THROTTLER = 'auth-ip';

type LimitDetail = Parameters<ThrottlerGuard['throwThrottlingException']>[1];

/**
 * RATE_LIMIT_AUTH_PER_IP requests per RATE_LIMIT_AUTH_WINDOW per client IP across all of
 * /auth/* (one counter per IP, not one per route, so spreading attempts over routes does not
 * multiply the budget). The IP honours TRUST_PROXY through Fastify's `request.ip`.
 */
@Injectable()
export class AuthThrottlerGuard extends ThrottlerGuard {
  protected override generateKey(
    _context: ExecutionContext,
    tracker: string,
    name: string,
  ): string {
    return `${name}:${createHash('sha256').update(tracker).digest('hex')}`;
  }

  protected override async throwThrottlingException(
    _context: ExecutionContext,
    detail: LimitDetail,
  ): Promise<void> {
    throw Errors.rateLimited(Math.max(1, detail.timeToBlockExpire));
  }
}
