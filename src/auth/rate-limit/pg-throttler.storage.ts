import { Logger } from '@nestjs/common';
import type { ThrottlerStorage } from '@nestjs/throttler';
import type { DataSource } from 'typeorm';

/** Not exported from the package root; derived from the interface instead. */
type ThrottlerStorageRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

interface CounterRow {
  hits: number;
  expires_in_ms: number;
  blocked_for_ms: number | null;
}

/**
 * Fixed-window counters in PostgreSQL, so that every instance behind a load balancer counts
 * against the same limit. One atomic upsert per hit: concurrent requests serialise on the row
 * and none can be lost. Inside a SET clause `c.*` is the row before the update, so every
 * expression below sees the old window.
 */
const INCREMENT_SQL = `
  INSERT INTO rate_limit_counters AS c (key, window_started_at, expires_at, hits, blocked_until)
  VALUES ($1, now(), now() + $2::double precision * interval '1 millisecond', 1,
          CASE WHEN 1 > $3::integer THEN now() + $4::double precision * interval '1 millisecond' END)
  ON CONFLICT (key) DO UPDATE SET
    window_started_at = CASE WHEN c.expires_at <= now() THEN now() ELSE c.window_started_at END,
    expires_at = CASE WHEN c.expires_at <= now()
                      THEN now() + $2::double precision * interval '1 millisecond'
                      ELSE c.expires_at END,
    hits = CASE WHEN c.expires_at <= now() THEN 1 ELSE c.hits + 1 END,
    blocked_until = CASE
      WHEN c.blocked_until > now() THEN c.blocked_until
      WHEN (CASE WHEN c.expires_at <= now() THEN 1 ELSE c.hits + 1 END) > $3::integer
        THEN now() + $4::double precision * interval '1 millisecond'
      ELSE NULL END
  RETURNING hits,
            (extract(epoch FROM expires_at - now()) * 1000)::double precision AS expires_in_ms,
            (extract(epoch FROM blocked_until - now()) * 1000)::double precision AS blocked_for_ms`;

export class PgThrottlerStorage implements ThrottlerStorage {
  private readonly logger = new Logger(PgThrottlerStorage.name);

  constructor(private readonly dataSource: DataSource) {}

  /** ttl and blockDuration in milliseconds (throttler v6); times returned in seconds. */
  async increment(
    key: string,
    ttl: number,
    limit: number,
    blockDuration: number,
    _throttlerName?: string,
  ): Promise<ThrottlerStorageRecord> {
    const rows: CounterRow[] = await this.dataSource.query(INCREMENT_SQL, [
      key,
      ttl,
      limit,
      blockDuration,
    ]);
    const row = rows[0];
    if (!row) throw new Error('rate_limit_counters upsert returned no row');
    this.maybePurge();
    const blockedFor = row.blocked_for_ms ?? 0;
    return {
      totalHits: row.hits,
      timeToExpire: Math.max(0, Math.ceil(row.expires_in_ms / 1000)),
      isBlocked: blockedFor > 0,
      timeToBlockExpire: Math.max(1, Math.ceil(blockedFor / 1000)),
    };
  }

  /** Current count of a window without adding a hit (null when no live window). */
  async peek(key: string): Promise<{ hits: number; retryAfterSec: number } | null> {
    const rows: { hits: number; expires_in_ms: number }[] = await this.dataSource.query(
      `SELECT hits, (extract(epoch FROM expires_at - now()) * 1000)::double precision AS expires_in_ms
         FROM rate_limit_counters WHERE key = $1 AND expires_at > now()`,
      [key],
    );
    const row = rows[0];
    return row
      ? { hits: row.hits, retryAfterSec: Math.max(1, Math.ceil(row.expires_in_ms / 1000)) }
      : null;
  }

  /** Expired rows are useless; sweep them now and then instead of running a scheduler. */
  private maybePurge(): void {
    if (Math.random() >= 0.01) return;
    this.dataSource
      .query(
        `DELETE FROM rate_limit_counters
          WHERE expires_at < now() AND (blocked_until IS NULL OR blocked_until < now())`,
      )
      .catch((error: unknown) =>
        this.logger.warn({ err: error }, 'rate_limit_counters purge failed'),
      );
  }
}
