import {
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config';

/** Rows deleted by one purge, by kind. */
export interface PurgeCounts {
  /** Refresh tokens of ended sessions, and tokens expired for longer than a refresh lifetime. */
  readonly refreshTokens: number;
  /** Login links and invitations expired for more than a day. */
  readonly linkTokens: number;
  /** Rate-limit windows that are over and block nobody. */
  readonly rateLimitCounters: number;
}

/**
 * Deletes credentials that can no longer be used, so that token tables do not grow forever:
 * every CREDENTIAL_PURGE_INTERVAL seconds in each instance (the statements are idempotent, so
 * instances need no coordination), and on demand with `npm run cli -- purge-expired-credentials`.
 *
 * What stays: every token of a live session that is not long expired (a spent one must stay
 * while its session lives, so that presenting it again still revokes the family), sessions
 * themselves (small; their revoke reasons are part of the security record), live rate-limit
 * windows and blocks.
 */
@Injectable()
export class CredentialHousekeeping implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(CredentialHousekeeping.name);
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly dataSource: DataSource,
    private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    const seconds = this.config.env.CREDENTIAL_PURGE_INTERVAL;
    if (seconds === 0) return;
    this.timer = setInterval(() => {
      this.purge().then(
        (counts) => this.logger.log({ ...counts }, 'Expired credentials purged'),
        (error: unknown) =>
          this.logger.warn(`Credential purge failed: ${(error as Error).message}`),
      );
    }, seconds * 1000);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  async purge(): Promise<PurgeCounts> {
    const { JWT_REFRESH_TTL, SESSION_MAX_AGE } = this.config.env;
    const refreshTokens = await this.deleted(
      `DELETE FROM refresh_tokens rt
        USING auth_sessions s
        WHERE s.id = rt.session_id
          AND (s.revoked_at < now() - interval '1 day'
               OR s.created_at < now() - make_interval(secs => $1)
               OR rt.expires_at < now() - make_interval(secs => $2))`,
      [SESSION_MAX_AGE, JWT_REFRESH_TTL],
    );
    const linkTokens = await this.deleted(
      `DELETE FROM link_tokens WHERE expires_at < now() - interval '1 day'`,
    );
    const rateLimitCounters = await this.deleted(
      `DELETE FROM rate_limit_counters
        WHERE expires_at < now() AND (blocked_until IS NULL OR blocked_until < now())`,
    );
    return { refreshTokens, linkTokens, rateLimitCounters };
  }

  private async deleted(sql: string, values: unknown[] = []): Promise<number> {
    // A CTE so that the driver answers with rows (TypeORM turns a bare DELETE into [rows, count]).
    const rows: { n: number }[] = await this.dataSource.query(
      `WITH gone AS (${sql} RETURNING 1) SELECT count(*)::int AS n FROM gone`,
      values,
    );
    return rows[0].n;
  }
}
