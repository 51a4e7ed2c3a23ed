import { createHash, timingSafeEqual } from 'node:crypto';
import { Injectable, NotFoundException } from '@nestjs/common';
import { Errors } from '../../common/errors/api-exception';
import { AppConfig } from '../../config/app-config';

const digest = (value: string): Buffer => createHash('sha256').update(value, 'utf8').digest();

/** GET /metrics' own gate: a static bearer token from the environment, or no route at all. */
@Injectable()
export class MetricsAccess {
  private readonly expected: Buffer | null;

  constructor(config: AppConfig) {
    const token = config.env.METRICS_TOKEN;
    this.expected = token ? digest(token) : null;
  }

  /** Throws 404 (as for a route that does not exist) when disabled, 401 on a wrong token. */
  check(authorization: string | undefined): void {
    // A NotFoundException renders exactly like Fastify's unknown-route answer.
    if (!this.expected) throw new NotFoundException();
    const match = /^Bearer (.+)$/i.exec(authorization ?? '');
    // Compare fixed-length digests: constant time, and no length leak.
    if (!match || !timingSafeEqual(digest(match[1]), this.expected)) {
      throw Errors.unauthenticated('Missing or wrong metrics token');
    }
  }
}
