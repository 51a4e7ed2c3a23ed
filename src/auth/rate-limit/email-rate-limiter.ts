import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { ThrottlerStorage } from '@nestjs/throttler';
import { Errors } from '../../common/errors/api-exception';
import { AppConfig } from '../../config/app-config';
import { PgThrottlerStorage } from './pg-throttler.storage';

/**
 * Limits keyed by the submitted email (lower-cased, hashed so the table holds no addresses),
 * counted whether or not an account exists: the limit itself must not reveal accounts.
 */
@Injectable()
export class EmailRateLimiter {
  constructor(
    @Inject(ThrottlerStorage) private readonly storage: PgThrottlerStorage,
    private readonly config: AppConfig,
  ) {}

  /** Before checking a password: 429 once the email has used up its failures. */
  async assertLoginAllowed(email: string): Promise<void> {
    const window = await this.storage.peek(this.key('login-fail', email));
    if (window && window.hits >= this.config.env.RATE_LIMIT_LOGIN_FAILURES) {
      throw Errors.rateLimited(window.retryAfterSec);
    }
  }

  async recordLoginFailure(email: string): Promise<void> {
    const { RATE_LIMIT_LOGIN_FAILURES: limit, RATE_LIMIT_LOGIN_WINDOW: window } = this.config.env;
    await this.storage.increment(
      this.key('login-fail', email),
      window * 1000,
      limit,
      window * 1000,
    );
  }

  /** Every magic-link request counts (stops mail-bombing one address); same budget. */
  async consumeMagicLinkRequest(email: string): Promise<void> {
    const { RATE_LIMIT_LOGIN_FAILURES: limit, RATE_LIMIT_LOGIN_WINDOW: window } = this.config.env;
    const record = await this.storage.increment(
      this.key('magic-link', email),
      window * 1000,
      limit,
      window * 1000,
    );
    if (record.isBlocked) throw Errors.rateLimited(record.timeToBlockExpire);
  }

  private key(kind: string, email: string): string {
    const digest = createHash('sha256').update(email.trim().toLowerCase()).digest('hex');
    return `${kind}:${digest}`;
  }
}
